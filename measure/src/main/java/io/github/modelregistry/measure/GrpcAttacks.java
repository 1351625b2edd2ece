package io.github.modelregistry.measure;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;

/**
 * What one hostile gRPC message costs a running app, and what a stream of them costs a well-behaved client: for
 * each message of the "every face bounded" issue, the app's CPU (utime + stime from {@code /proc/<pid>/stat}) and
 * its peak resident memory growth ({@code VmRSS}, sampled every 5 ms) per message, against the message's size; then,
 * in rounds that alternate which comes first, a well-behaved client's p99 over a quiet window and over a window in
 * which another connection sends the message in a loop. {@code measure/run grpc-attacks --ref <before> --ref <after>}
 * runs it against the sample app built from each ref, one after the other.
 * <p>
 * Arguments: the app's pid, its gRPC port, rounds, seconds per window, and the fewest messages per cost
 * measurement (small messages are sent up to 200 times, so that the CPU clock's 10 ms ticks do not matter; the app's
 * idle CPU over as long is taken off).
 */
final class GrpcAttacks {

	private static final String INFER = "inference.GRPCInferenceService/ModelInfer";

	private static final MethodDescriptor<byte[], byte[]> RAW_INFER = raw(INFER);

	private GrpcAttacks() {
	}

	record Attack(String name, Supplier<byte[]> message) {
	}

	static final String NAME = "grpc-attacks";

	/**
	 * {@code grpc-attacks}: for each ref, the sample app built and started, then every hostile message measured
	 * against it; one report with a section per ref.
	 */
	static void run(Settings settings) {
		Builds builds = new Builds(settings.root());
		StringBuilder report = new StringBuilder("# Hostile gRPC messages against the sample app\n\n");
		report.append("`measure/run grpc-attacks ").append(String.join(" ", settings.arguments())).append("`, ")
			.append(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
				.format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
			.append(", on ").append(Machine.describe()).append(". A good client's p99: one closed-loop client on its "
					+ "own connection; the attack: another connection sending the message in a loop.\n");
		for (String ref : settings.refs()) {
			Builds.Build build = builds.build(ref, List.of("sample-app"));
			try (SideBySide apps = new SideBySide(settings, NAME)) {
				App app = apps.start(Subjects.sample("sample@" + ref, build.jar("sample-app"), settings.strategy(),
						List.of()), List.of());
				java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
				java.io.PrintStream out = new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8);
				measure(app.pid(), app.address().grpcPort(), settings.rounds(), (int) settings.seconds().toSeconds(), 3,
						out);
				long warnings;
				long traces;
				try {
					List<String> log = Files.readAllLines(app.log());
					warnings = log.stream().filter((l) -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
					traces = log.stream().filter((l) -> l.matches("^\\s+at .*")).count();
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
				report.append("\n## ").append(ref).append(" (").append(build.identity()).append(")\n\n")
					.append(text.toString(java.nio.charset.StandardCharsets.UTF_8))
					.append("\nApp log lines at WARN or ERROR during the run: ").append(warnings)
					.append("; stack trace lines: ").append(traces).append(".\n");
			}
			catch (Exception ex) {
				throw new IllegalStateException("grpc-attacks at " + ref + ": " + ex.getMessage(), ex);
			}
		}
		try {
			Path raw = settings.root().resolve("target/measure/" + NAME);
			Files.createDirectories(raw);
			Files.writeString(raw.resolve("report.md"), report);
			System.out.println(report);
			if (settings.publishes()) {
				Files.writeString(settings.root().resolve("docs/results/" + NAME + ".md"), report);
				System.out.println("measure: published docs/results/" + NAME + ".md");
			}
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static void measure(long pid, int port, int rounds, int seconds, int messages, java.io.PrintStream out)
			throws Exception {
		List<Attack> attacks = List.of(
				new Attack("15 MB of empty inputs (7.8 M entries)", () -> repeatedEmpty(5, 15 << 19)),
				new Attack("32,000 distinct output names beside a valid input", () -> outputNames(32_000)),
				new Attack("4 MB of empty bytes_contents entries", () -> bytesEntries(2 << 20)),
				new Attack("2 B: a truncated varint", () -> Arrays.copyOf(new byte[] { 0x0a, (byte) 0x80 }, 2)),
				new Attack("3 KB: 1,000 nested unknown groups", () -> nestedGroups(1000)),
				new Attack("1 MB raw contents, shape a row short", () -> shapeLie(6554)),
				new Attack("15 MB raw contents, shape a row short (receiving 15 MB)", () -> shapeLie(98304)));
		ManagedChannel good = channel(port);
		ManagedChannel hostile = channel(port);
		byte[] valid = valid();
		// Warm up the well-behaved path
		for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds * 3L); System.nanoTime() < end;) {
			ClientCalls.blockingUnaryCall(good, RAW_INFER, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), valid);
		}
		// Warm up every message's path (the JIT, the heap's size for the buffers of the largest) before any is measured:
		// otherwise the first measured pays for what all of them share
		for (int round = 0; round < 3; round++) {
			for (Attack attack : attacks) {
				send(hostile, attack.message().get());
			}
		}
		out.println("| message | bytes | app CPU ms per message | CPU ms per MB | peak RSS growth MB | growth ÷ bytes |"
				+ " good client p99 ms quiet → attacked, median of " + rounds + " [min–max] | p99 ratio |");
		out.println("|---|---|---|---|---|---|---|---|");
		for (Attack attack : attacks) {
			byte[] bytes = attack.message().get();
			// Enough messages for the CPU clock's 10 ms ticks not to matter, at most 150 MB sent
			int count = (int) Math.max(messages, Math.min(200, 150_000_000L / Math.max(bytes.length, 1)));
			// What the app spends while idle over as long, taken off
			long idleStart = System.nanoTime();
			long idleCpu = cpuMillis(pid);
			Thread.sleep(1000);
			double idlePerMs = (cpuMillis(pid) - idleCpu) / ((System.nanoTime() - idleStart) / 1e6);
			// Cost: messages one after another on a connection of their own
			long costStart = System.nanoTime();
			long cpuBefore = cpuMillis(pid);
			long rssBefore = rssKb(pid);
			AtomicLong peak = new AtomicLong(rssBefore);
			AtomicBoolean sampling = new AtomicBoolean(true);
			Thread sampler = new Thread(() -> {
				while (sampling.get()) {
					peak.accumulateAndGet(rssKb(pid), Math::max);
					try {
						Thread.sleep(5);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			sampler.start();
			// ... or for 15 s, whichever ends first (the code before spent seconds on some messages)
			long costDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
			int sent = 0;
			while (sent < messages || (sent < count && System.nanoTime() < costDeadline)) {
				send(hostile, bytes);
				sent++;
			}
			// The app's CPU after the answer: work that outlived the call is counted too
			Thread.sleep(500);
			sampling.set(false);
			sampler.join();
			double idle = idlePerMs * ((System.nanoTime() - costStart) / 1e6);
			double cpuPerMessage = Math.max(0, cpuMillis(pid) - cpuBefore - idle) / sent;
			double megabytes = bytes.length / 1e6;
			double growthMb = (peak.get() - rssBefore) / 1024.0;
			// Interference: a well-behaved client's p99, quiet against attacked, rounds alternating their order
			List<Double> quiet = new ArrayList<>();
			List<Double> attacked = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			for (int round = 0; round < rounds; round++) {
				double q;
				double a;
				if (round % 2 == 0) {
					q = p99(good, valid, seconds, null, null);
					a = p99(good, valid, seconds, hostile, bytes);
				}
				else {
					a = p99(good, valid, seconds, hostile, bytes);
					q = p99(good, valid, seconds, null, null);
				}
				quiet.add(q);
				attacked.add(a);
				ratios.add(a / q);
			}
			// Per MB only where the message is large enough for its size to be what costs
			boolean large = bytes.length >= 100_000;
			out.printf(Locale.ROOT, "| %s | %,d | %.1f | %s | %.0f | %s | %.1f → %.1f | %.2f [%.2f–%.2f] |%n",
					attack.name(), bytes.length, cpuPerMessage,
					large ? String.format(Locale.ROOT, "%.2f", cpuPerMessage / megabytes) : "–", growthMb,
					large ? String.format(Locale.ROOT, "%.2f", growthMb * 1_048_576 / bytes.length) : "–",
					Summary.of(quiet).median(), Summary.of(attacked).median(), Summary.of(ratios).median(),
					Summary.of(ratios).min(), Summary.of(ratios).max());
		}
		good.shutdownNow();
		hostile.shutdownNow();
	}

	/**
	 * A well-behaved client's p99 over a window, while another connection sends {@code attack} in a loop if given.
	 */
	private static double p99(ManagedChannel good, byte[] valid, int seconds, ManagedChannel hostile, byte[] attack)
			throws InterruptedException {
		AtomicBoolean attacking = new AtomicBoolean(attack != null);
		Thread attacker = null;
		if (attack != null) {
			attacker = new Thread(() -> {
				while (attacking.get()) {
					send(hostile, attack);
				}
			});
			attacker.start();
		}
		List<Long> latencies = new ArrayList<>();
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (System.nanoTime() < end) {
			long start = System.nanoTime();
			try {
				ClientCalls.blockingUnaryCall(good, RAW_INFER, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
						valid);
				latencies.add(System.nanoTime() - start);
			}
			catch (StatusRuntimeException ex) {
				// A failed call counts at its full time
				latencies.add(System.nanoTime() - start);
			}
		}
		attacking.set(false);
		if (attacker != null) {
			attacker.join();
		}
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
	}

	private static void send(ManagedChannel channel, byte[] bytes) {
		try {
			ClientCalls.blockingUnaryCall(channel, RAW_INFER, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS),
					bytes);
		}
		catch (StatusRuntimeException expected) {
			// Refused, as it should be; the cost is what is measured
		}
	}

	static long cpuMillis(long pid) {
		try {
			long ticks = Cpu.parse(Files.readString(Path.of("/proc/" + pid + "/stat"))).ticks();
			return Math.round(ticks * Cpu.microsPerTick() / 1000);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static long rssKb(long pid) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("\\D", ""));
				}
			}
			return 0;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] valid() throws IOException {
		ByteBuffer features = ByteBuffer.allocate(2 * 40 * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 80; i++) {
			features.putFloat((i % 7) / 7f);
		}
		return message((out) -> {
			out.writeString(1, "restaurant-ranker");
			out.writeByteArray(5, message((input) -> {
				input.writeString(1, "features");
				input.writeString(2, "FP32");
				input.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
				input.writeUInt32NoTag(2);
				input.writeRawByte(2);
				input.writeRawByte(40);
			}));
			out.writeBytes(7, ByteString.copyFrom(features.array()));
		});
	}

	private static byte[] shapeLie(int rows) {
		try {
			return message((out) -> {
				out.writeString(1, "restaurant-ranker");
				out.writeByteArray(5, message((input) -> {
					input.writeString(1, "features");
					input.writeString(2, "FP32");
					input.writeInt64(3, rows);
					input.writeInt64(3, 40);
				}));
				out.writeBytes(7, ByteString.copyFrom(new byte[(rows - 1) * 40 * 4]));
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] outputNames(int count) {
		try {
			// A valid request first, so that decoding reaches the outputs (the old code refused no inputs before)
			byte[] valid = valid();
			return message((out) -> {
				out.writeRawBytes(valid);
				for (int i = 0; i < count; i++) {
					int index = i;
					out.writeByteArray(6, message((output) -> output.writeString(1, "score-" + index)));
				}
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] bytesEntries(int count) {
		try {
			byte[] contents = new byte[2 * count];
			for (int i = 0; i < count; i++) {
				contents[2 * i] = (byte) ((8 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED);
			}
			return message((out) -> {
				out.writeString(1, "restaurant-ranker");
				out.writeByteArray(5, message((input) -> {
					input.writeString(1, "features");
					input.writeString(2, "BYTES");
					input.writeByteArray(5, contents);
				}));
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] repeatedEmpty(int field, int count) {
		byte[] bytes = new byte[2 * count];
		for (int i = 0; i < count; i++) {
			bytes[2 * i] = (byte) ((field << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED);
		}
		return bytes;
	}

	private static byte[] nestedGroups(int depth) {
		try {
			return message((out) -> {
				for (int i = 0; i < depth; i++) {
					out.writeTag(100, WireFormat.WIRETYPE_START_GROUP);
				}
				for (int i = 0; i < depth; i++) {
					out.writeTag(100, WireFormat.WIRETYPE_END_GROUP);
				}
			});
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FunctionalInterface
	interface Writer {

		void write(CodedOutputStream out) throws IOException;

	}

	private static byte[] message(Writer writer) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		writer.write(out);
		out.flush();
		return bytes.toByteArray();
	}

	private static ManagedChannel channel(int port) {
		return ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().maxInboundMessageSize(16 << 20).build();
	}

	private static MethodDescriptor<byte[], byte[]> raw(String fullName) {
		MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {

			@Override
			public InputStream stream(byte[] value) {
				return new ByteArrayInputStream(value);
			}

			@Override
			public byte[] parse(InputStream stream) {
				try {
					return stream.readAllBytes();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}

		};
		return MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(MethodDescriptor.MethodType.UNARY)
			.setFullMethodName(fullName)
			.setRequestMarshaller(bytes)
			.setResponseMarshaller(bytes)
			.build();
	}

}
