package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.ModelRegistry;

/**
 * How close the registry's memory charge is to the truth: in a fresh JVM, registers N models of one kind by name
 * (each its own ONNX Runtime session of the same file, through links inside the base path), answers one request
 * with each, and compares the sum of their charges ({@code ModelRegistry.memoryBytes}) with the growth of the
 * process's resident memory from before the first registration to after the last answer. Prints one tab-separated
 * line: kind, models, charged MB, resident growth MB, charged ÷ growth. Run by {@code benchmarks/memory.sh}, one JVM
 * per line, so that no run reuses memory another freed.
 * <p>Usage: {@code MemoryChargeExperiment sample|wide <models>}
 */
public final class MemoryChargeExperiment {

	private MemoryChargeExperiment() {
	}

	public static void main(String[] args) throws Exception {
		String kind = args[0];
		int models = Integer.parseInt(args[1]);
		Path base = Files.createTempDirectory("memory-charge");
		Path real = base.resolve("..model");
		if (kind.equals("wide")) {
			Files.move(SampleModels.generate(base, "wide", "4096,4096"), real);
		}
		else {
			Files.move(SampleModels.extractSample(base), real);
		}
		for (int i = 1; i <= models; i++) {
			Files.createSymbolicLink(base.resolve("m" + i), real);
		}
		ModelRegistry registry = ModelRegistry.builder()
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.basePath(base.toUri().toString())
			.defaultStrategy(HolderStrategy.SHARDED_RCU)
			.build();
		registry.start();
		List<io.github.modelregistry.tensor.Tensor> inputs = List.of(SampleModels.tensor(SampleModels.batch(42)));
		System.gc();
		long before = resident();
		long charged = 0;
		for (int i = 1; i <= models; i++) {
			registry.register("m" + i);
			registry.infer("m" + i, null, inputs, List.of());
			charged += registry.memoryBytes("m" + i);
		}
		System.gc();
		long after = resident();
		double mb = 1024 * 1024;
		System.out.printf(Locale.ROOT, "%s\t%d\t%.1f\t%.1f\t%.2f%n", kind, models, charged / mb, (after - before) / mb,
				(double) charged / (after - before));
		registry.close();
	}

	private static long resident() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		throw new IllegalStateException("no VmRSS");
	}

}
