package io.github.modelregistry.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSignature;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * One version of a model loaded into an ONNX Runtime session. {@link #run} may be called from many threads at once
 * (ONNX Runtime sessions are thread-safe for {@code run}); {@link #close()} must not be called while a run is in
 * flight, which is what a {@code ModelHolder} guarantees.
 * <p>
 * Every native {@link OnnxTensor} and {@link OrtSession.Result} a run creates is closed before it returns, on
 * success and on failure. Outputs are copied into heap buffers first.
 * <p>
 * Tensors go to and come from ONNX Runtime as what they hold, native-order bytes, with one code path for every
 * datatype: the {@link TensorDatatype} says which ONNX Runtime element type the bytes are.
 */
public final class OnnxModel implements InferenceModel {

	/** The ONNX Runtime element type of each datatype, looked up by name once. */
	private static final Map<TensorDatatype, OnnxJavaType> ONNX_TYPES = onnxTypes();

	private final String name;

	private final long version;

	private final String source;

	private final OrtEnvironment environment;

	private final OrtSession session;

	private final TensorSignature signature;

	private final long sizeBytes;

	private final Instant loadedAt;

	private final Duration loadDuration;

	OnnxModel(String name, long version, String source, OrtEnvironment environment, OrtSession session,
			Map<String, TensorSpec> inputs, Map<String, TensorSpec> outputs, long sizeBytes, Duration loadDuration) {
		this.name = name;
		this.version = version;
		this.source = source;
		this.environment = environment;
		this.session = session;
		this.signature = new TensorSignature(name, inputs.values(), outputs.values());
		this.sizeBytes = sizeBytes;
		this.loadedAt = Instant.now();
		this.loadDuration = loadDuration;
	}

	/**
	 * Runs the model.
	 * @param request the inputs, one per model input
	 * @param requestedOutputs the outputs to return, in that order; all of them in the model's order when empty
	 * @return the outputs
	 * @throws InvalidTensorException if the request does not fit the model's signature
	 * @throws InferenceFailedException if ONNX Runtime fails
	 */
	public List<Tensor> run(Collection<Tensor> request, Collection<String> requestedOutputs) {
		Set<String> outputNames = this.signature.validate(request, requestedOutputs);
		Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
		try {
			for (Tensor input : request) {
				feeds.put(input.name(), toOnnx(input));
			}
			try (OrtSession.Result result = this.session.run(feeds, outputNames)) {
				List<Tensor> outputs = new ArrayList<>(outputNames.size());
				for (String outputName : outputNames) {
					OnnxValue value = result.get(outputName)
						.orElseThrow(() -> new IllegalStateException("ONNX Runtime returned no '" + outputName + "'"));
					outputs.add(fromOnnx(outputName, (OnnxTensor) value));
				}
				return outputs;
			}
		}
		catch (OrtException ex) {
			throw new InferenceFailedException(
					"Model '" + this.name + "' version " + this.version + " failed: " + ex.getMessage(), ex);
		}
		finally {
			feeds.values().forEach(OnnxTensor::close);
		}
	}

	private OnnxTensor toOnnx(Tensor tensor) throws OrtException {
		if (tensor.datatype() == TensorDatatype.BYTES) {
			// ONNX Runtime's Java API takes string tensors as Java strings only, and its STRING type is text
			return OnnxTensor.createTensor(this.environment, tensor.strings(), tensor.shape());
		}
		ByteBuffer bytes = tensor.bytes();
		if (!bytes.isDirect()) {
			// ONNX Runtime uses direct native-order bytes in place, but casts heap bytes of a multi-byte type to the
			// typed buffer it expects (a ClassCastException). So copy them into direct memory here, exactly what it
			// does itself with a heap FloatBuffer or any other typed heap buffer: one copy, for every datatype alike.
			// Pooled request buffers are direct and skip it, which is what TensorBufferPool is for.
			bytes = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder()).put(bytes).flip();
		}
		return OnnxTensor.createTensor(this.environment, bytes, tensor.shape(), ONNX_TYPES.get(tensor.datatype()));
	}

	private static Tensor fromOnnx(String name, OnnxTensor value) throws OrtException {
		OnnxJavaType type = value.getInfo().type;
		TensorDatatype datatype = TensorDatatype.ofOnnxTypeName(type.name());
		if (datatype == null) {
			throw new IllegalStateException("Output '" + name + "' has unsupported element type " + type);
		}
		if (datatype == TensorDatatype.BYTES) {
			List<String> strings = new ArrayList<>();
			flatten(value.getValue(), strings);
			return Tensor.ofStrings(name, value.getInfo().getShape(), strings.toArray(String[]::new));
		}
		// A copy of the native data into a new heap buffer, which outlives the result. ONNX Runtime returns it in
		// native order; set it again all the same, as the tensor relies on it
		ByteBuffer bytes = value.getByteBuffer().order(ByteOrder.nativeOrder());
		return Tensor.of(name, datatype, value.getInfo().getShape(), bytes);
	}

	/** ONNX Runtime gives a string tensor as nested arrays of strings, one level per dimension */
	private static void flatten(Object value, List<String> into) {
		if (value instanceof String string) {
			into.add(string);
		}
		else {
			for (Object element : (Object[]) value) {
				flatten(element, into);
			}
		}
	}

	private static Map<TensorDatatype, OnnxJavaType> onnxTypes() {
		Map<TensorDatatype, OnnxJavaType> types = new EnumMap<>(TensorDatatype.class);
		for (TensorDatatype datatype : TensorDatatype.values()) {
			// Fails class initialisation, and every test, if a datatype names a type ONNX Runtime does not have
			types.put(datatype, OnnxJavaType.valueOf(datatype.onnxTypeName()));
		}
		return types;
	}

	public String name() {
		return this.name;
	}

	public long version() {
		return this.version;
	}

	/** The platform name the Open Inference Protocol gives ONNX Runtime. */
	public static final String PLATFORM = "onnxruntime_onnx";

	@Override
	public String platform() {
		return PLATFORM;
	}

	/**
	 * Returns where the model was loaded from.
	 */
	public String source() {
		return this.source;
	}

	public List<TensorSpec> inputs() {
		return this.signature.inputs();
	}

	public List<TensorSpec> outputs() {
		return this.signature.outputs();
	}

	/**
	 * Returns the size of the model file in bytes.
	 */
	public long sizeBytes() {
		return this.sizeBytes;
	}

	public Instant loadedAt() {
		return this.loadedAt;
	}

	public Duration loadDuration() {
		return this.loadDuration;
	}

	/**
	 * Closes the native session. Must not be called while {@link #run} is in flight.
	 */
	@Override
	public void close() throws OrtException {
		this.session.close();
	}

	@Override
	public String toString() {
		return "OnnxModel[" + this.name + " version " + this.version + "]";
	}

}
