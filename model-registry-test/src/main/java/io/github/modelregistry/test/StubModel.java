package io.github.modelregistry.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSignature;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * A model built in code, for tests: it declares inputs and outputs as a real model does, checks every request
 * against them as the ONNX adapter does (a request that does not fit is refused with the same
 * {@link InvalidTensorException}), and answers with what its {@link Answer} computes. It needs no model file and no
 * ONNX Runtime. Served by a {@link ModelRegistry} like any other model: declare it as a bean in a
 * {@link ModelRegistryTest}, or add it with {@link ModelRegistry.Builder#model(InferenceModel)}.
 * <pre>{@code
 * StubModel.Spec ranker = StubModel.spec("restaurant-ranker")
 *     .input("features", TensorDatatype.FP32, -1, 15)
 *     .output("score", TensorDatatype.FP32, -1, 1);
 * StubModel model = StubModel.of(ranker, (inputs) -> {
 *     long rows = inputs.get("features").shape()[0];
 *     float[] scores = new float[(int) rows];
 *     Arrays.fill(scores, 0.5f);
 *     return List.of(Tensor.ofFloats("score", new long[] { rows, 1 }, scores));
 * });
 * }</pre>
 * Its answers are checked too: an answer naming an output the spec does not declare, or of another datatype or
 * shape, fails the run as a broken model would ({@link IllegalStateException}), so that a stub cannot drift from
 * the model it stands for without a test noticing. Thread-safe; {@link #runs()} counts the runs.
 */
public final class StubModel implements InferenceModel {

	private final Spec spec;

	private final TensorSignature signature;

	private final Answer answer;

	private final Instant loadedAt = Instant.now();

	private final AtomicLong runs = new AtomicLong();

	private volatile boolean closed;

	private StubModel(Spec spec, Answer answer) {
		if (spec.inputs.isEmpty() || spec.outputs.isEmpty()) {
			throw new IllegalArgumentException(
					"Stub model '" + spec.name + "' needs at least one input and one output");
		}
		this.spec = spec;
		this.signature = new TensorSignature(spec.name, spec.inputs.values(), spec.outputs.values());
		this.answer = answer;
	}

	/**
	 * Starts the specification of a stub model: its name, version 1 unless set, then its inputs and outputs.
	 * @param name the name it is served under
	 */
	public static Spec spec(String name) {
		return new Spec(name);
	}

	/**
	 * A stub that computes its answers.
	 * @param spec its inputs and outputs
	 * @param answer what it answers, given the request's inputs by name
	 */
	public static StubModel of(Spec spec, Answer answer) {
		return new StubModel(spec.copy(), Objects.requireNonNull(answer, "answer"));
	}

	/**
	 * Starts a stub that answers from a fixed table: each row the outputs for one request's inputs, matched by
	 * datatype, shape and value; a request no row matches is refused as invalid, naming what it sent.
	 * @param spec its inputs and outputs
	 */
	public static Table table(Spec spec) {
		return new Table(spec.copy());
	}

	@Override
	public String name() {
		return this.spec.name;
	}

	@Override
	public long version() {
		return this.spec.version;
	}

	/**
	 * Returns {@code "stub"}: what the V2 metadata's {@code platform} reads for it.
	 */
	@Override
	public String platform() {
		return "stub";
	}

	@Override
	public String source() {
		return "stub model built in code";
	}

	@Override
	public List<TensorSpec> inputs() {
		return this.signature.inputs();
	}

	@Override
	public List<TensorSpec> outputs() {
		return this.signature.outputs();
	}

	@Override
	public long sizeBytes() {
		return 0;
	}

	@Override
	public Instant loadedAt() {
		return this.loadedAt;
	}

	@Override
	public Duration loadDuration() {
		return Duration.ZERO;
	}

	@Override
	public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
		if (this.closed) {
			throw new IllegalStateException("Stub model '" + name() + "' is closed");
		}
		Set<String> wanted = this.signature.validate(inputs, outputs);
		Map<String, Tensor> byName = new LinkedHashMap<>();
		inputs.forEach((input) -> byName.put(input.name(), input));
		this.runs.incrementAndGet();
		Map<String, Tensor> answered = new LinkedHashMap<>();
		for (Tensor output : this.answer.answer(Collections.unmodifiableMap(byName))) {
			TensorSpec declared = this.spec.outputs.get(output.name());
			if (declared == null) {
				throw new IllegalStateException("Stub model '" + name() + "' answered output '" + output.name()
						+ "', which it does not declare; its outputs are " + this.spec.outputs.keySet());
			}
			if (output.datatype() != declared.datatype() || !declared.accepts(output.shape())) {
				throw new IllegalStateException("Stub model '" + name() + "' answered output '" + output.name()
						+ "' as " + output.datatype() + Arrays.toString(output.shape()) + ", but declares it as "
						+ declared.datatype() + Arrays.toString(declared.shape()));
			}
			answered.put(output.name(), output);
		}
		List<Tensor> result = new ArrayList<>(wanted.size());
		for (String name : wanted) {
			Tensor output = answered.get(name);
			if (output == null) {
				throw new IllegalStateException(
						"Stub model '" + name() + "' did not answer output '" + name + "'; it answered "
								+ answered.keySet());
			}
			result.add(output);
		}
		return result;
	}

	/**
	 * Returns how many requests it has run (requests refused as invalid not counted).
	 */
	public long runs() {
		return this.runs.get();
	}

	/**
	 * Returns whether it has been closed (by the registry that served it, when that closed).
	 */
	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public void close() {
		this.closed = true;
	}

	@Override
	public String toString() {
		return "StubModel[" + name() + " v" + version() + ", inputs " + this.spec.inputs.values() + ", outputs "
				+ this.spec.outputs.values() + "]";
	}

	/**
	 * What a stub model answers.
	 */
	@FunctionalInterface
	public interface Answer {

		/**
		 * Computes the outputs for one request.
		 * @param inputs the request's inputs by name, already checked against the spec
		 * @return the outputs, at least those the request asked for (others are dropped); throwing fails the run
		 * as a failing model would (it counts against the model's circuit breaker)
		 */
		List<Tensor> answer(Map<String, Tensor> inputs);

	}

	/**
	 * A stub model's name, version, inputs and outputs. A dimension of {@code -1} takes any size, as a model's
	 * dynamic axis does.
	 */
	public static final class Spec {

		private final String name;

		private long version = 1;

		private final Map<String, TensorSpec> inputs = new LinkedHashMap<>();

		private final Map<String, TensorSpec> outputs = new LinkedHashMap<>();

		private Spec(String name) {
			this.name = Objects.requireNonNull(name, "name");
		}

		/**
		 * Sets the version it is served as (1 unless set).
		 */
		public Spec version(long version) {
			if (version < 1) {
				throw new IllegalArgumentException("A version is a positive integer, was " + version);
			}
			this.version = version;
			return this;
		}

		/**
		 * Declares an input, in order.
		 */
		public Spec input(String name, TensorDatatype datatype, long... shape) {
			this.inputs.put(name, new TensorSpec(name, datatype, shape));
			return this;
		}

		/**
		 * Declares an output, in order.
		 */
		public Spec output(String name, TensorDatatype datatype, long... shape) {
			this.outputs.put(name, new TensorSpec(name, datatype, shape));
			return this;
		}

		private Spec copy() {
			Spec copy = new Spec(this.name).version(this.version);
			copy.inputs.putAll(this.inputs);
			copy.outputs.putAll(this.outputs);
			return copy;
		}

	}

	/**
	 * Builds a stub that answers from a fixed table.
	 */
	public static final class Table {

		private final Spec spec;

		private final List<Row> rows = new ArrayList<>();

		private Table(Spec spec) {
			this.spec = spec;
		}

		/**
		 * Adds a row: the outputs answered when a request's inputs equal these (by name, datatype, shape and
		 * value, whatever their order).
		 */
		public Table answer(List<Tensor> inputs, List<Tensor> outputs) {
			this.rows.add(new Row(List.copyOf(inputs), List.copyOf(outputs)));
			return this;
		}

		/**
		 * Builds the stub.
		 */
		public StubModel build() {
			List<Row> rows = List.copyOf(this.rows);
			String name = this.spec.name;
			return new StubModel(this.spec, (inputs) -> {
				for (Row row : rows) {
					if (row.matches(inputs)) {
						return row.outputs();
					}
				}
				StringBuilder sent = new StringBuilder();
				inputs.values().forEach((input) -> sent.append((sent.length() > 0) ? ", " : "").append(input));
				throw new InvalidTensorException("Stub model '" + name + "' has no answer in its table for " + sent
						+ " (" + rows.size() + " row(s))");
			});
		}

		private record Row(List<Tensor> inputs, List<Tensor> outputs) {

			boolean matches(Map<String, Tensor> request) {
				if (request.size() != this.inputs.size()) {
					return false;
				}
				for (Tensor expected : this.inputs) {
					Tensor actual = request.get(expected.name());
					if (actual == null || !sameContent(expected, actual)) {
						return false;
					}
				}
				return true;
			}

			private static boolean sameContent(Tensor expected, Tensor actual) {
				return expected.datatype() == actual.datatype() && Arrays.equals(expected.shape(), actual.shape())
						&& expected.bytes().equals(actual.bytes());
			}

		}

	}

}
