package io.github.modelregistry.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.modelregistry.benchmarks.report.JmhResults.Run;
import org.jspecify.annotations.Nullable;

/**
 * Renders {@code INFER-PATH.md} from {@code infer-path-1t.json} and {@code infer-path-2t.json}: per path and thread
 * count, µs per request and bytes allocated per request (medians over all measurement iterations of all forks, with
 * their min-max), and each path's ratio to the path before the pool ({@code array-heap}) in the same run.
 */
public final class InferPathReport {

	static final List<String> PATHS = List.of("array-heap", "stream-heap", "stream-pooled");

	private static final String ALLOCATION = "gc.alloc.rate.norm";

	private InferPathReport() {
	}

	public static void main(String[] args) throws Exception {
		render(Path.of((args.length > 0) ? args[0] : "benchmarks/results/infer-path"));
	}

	public static void render(Path folder) throws IOException {
		StringBuilder md = new StringBuilder();
		md.append("# Infer path: decode + infer + encode, per request\n\n")
			.append("`InferPathBenchmark`: the V2 JSON body of a 10×40 FP32 batch decoded, run through the registry ")
			.append("(`sharded-rcu`, committed sample model v2), the response encoded; no HTTP. Medians over every ")
			.append("measurement iteration of every fork, [min–max]. Bytes per request from JMH's GC profiler ")
			.append("(`gc.alloc.rate.norm`, Java heap only: native memory ONNX Runtime allocates is not in it).\n\n")
			.append("- `array-heap`: before the pool: body copied into a `byte[]`, tensor in a heap `float[]` that ONNX ")
			.append("Runtime copies into a new direct buffer on every call\n")
			.append("- `stream-heap`: body parsed where it lies, tensor on the heap (`model-registry.tensor-pool.enabled=false`)\n")
			.append("- `stream-pooled`: body parsed where it lies, tensor decoded into a pooled direct buffer read in place (default)\n\n")
			.append("| threads | path | µs/request | bytes/request | time ÷ array-heap | bytes ÷ array-heap |\n")
			.append("|---|---|---|---|---|---|\n");
		for (int threads : List.of(1, 2)) {
			List<Run> runs = JmhResults.read(folder.resolve("infer-path-" + threads + "t.json"));
			Run baseline = JmhResults.find(runs, "decodeInferEncode", threads, "path", "array-heap");
			for (String path : PATHS) {
				Run run = JmhResults.find(runs, "decodeInferEncode", threads, "path", path);
				if (run == null) {
					continue;
				}
				md.append("| ").append(threads).append(" | `").append(path).append("` | ")
					.append(spread(run.iterations(), "%.2f")).append(" | ")
					.append(spread(allocation(run), "%.0f")).append(" | ")
					.append(ratio(run.iterations(), (baseline != null) ? baseline.iterations() : null)).append(" | ")
					.append(ratio(allocation(run), (baseline != null) ? allocation(baseline) : null)).append(" |\n");
			}
		}
		md.append("\nTimes are per request and per thread (JMH's average time): at 2 threads on a 2-core machine ")
			.append("the two threads share the cores with the JIT and GC threads.\n\n")
			.append("Reproduce: `benchmarks/infer-path.sh` (about 5 minutes; JSON in this folder).\n");
		Files.writeString(folder.resolve("INFER-PATH.md"), md.toString());
	}

	private static double[] allocation(Run run) {
		double[] values = run.secondary().get(ALLOCATION);
		return (values != null) ? values : new double[0];
	}

	private static String spread(double[] values, String format) {
		if (values.length == 0) {
			return "–";
		}
		return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", JmhResults.median(values),
				JmhResults.min(values), JmhResults.max(values));
	}

	private static String ratio(double[] values, double @Nullable [] baseline) {
		if (baseline == null || values.length == 0 || baseline.length == 0) {
			return "–";
		}
		return String.format(Locale.ROOT, "%.2f", JmhResults.median(values) / JmhResults.median(baseline));
	}

}
