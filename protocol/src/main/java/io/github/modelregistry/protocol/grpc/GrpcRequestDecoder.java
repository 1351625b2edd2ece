package io.github.modelregistry.protocol.grpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.google.protobuf.ByteString;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.tensor.ElementSource;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@code ModelInferRequest} into the registry's tensors. gRPC has already parsed the message (bounded by the
 * server's inbound message size), so what is checked here is what the message claims: each input's shape and
 * datatype against the model's inputs, and its element count against its contents, before a buffer is taken for
 * it. Raw contents ({@code raw_input_contents}, little-endian, one entry per input, in order) are copied once, from
 * the message's bytes into the input's buffer; typed contents ({@code fp32_contents} and the rest, the field the
 * datatype's {@link TensorContents} names) are read element by element. A request uses one or the other, as the
 * specification says.
 * <p>
 * A decoded request may hold pooled buffers: close it once its tensors are no longer read. If decoding fails, the
 * buffers it took are returned before the exception leaves.
 */
public final class GrpcRequestDecoder {

	/** Elements decoded between two checks for a cancelled call: a power of two. */
	static final int CANCEL_CHECK_INTERVAL = 1 << 16;

	private final long maxElements;

	private final @Nullable TensorBufferPool pool;

	/**
	 * @param maxElements the most tensor elements a request may hold, summed over its inputs
	 * @param pool where tensor buffers come from; {@code null} for heap buffers
	 */
	public GrpcRequestDecoder(long maxElements, @Nullable TensorBufferPool pool) {
		this.maxElements = maxElements;
		this.pool = pool;
	}

	/**
	 * Decodes a request.
	 * @param expected the inputs the model takes, or {@code null} when not known yet (the registry checks them then)
	 * @throws StatusRuntimeException {@code INVALID_ARGUMENT} naming what is wrong, {@code RESOURCE_EXHAUSTED} when
	 * the request holds more elements than allowed
	 */
	public Decoded decode(ModelInferRequest request, @Nullable List<TensorSpec> expected) {
		return decode(request, expected, () -> false);
	}

	/**
	 * Decodes a request, stopping as soon as {@code cancelled} says its call has gone (checked between inputs and
	 * every {@value #CANCEL_CHECK_INTERVAL} elements).
	 * @param expected the inputs the model takes, or {@code null} when not known yet (the registry checks them then)
	 * @param cancelled whether the call was cancelled or its deadline passed
	 * @throws StatusRuntimeException as {@link #decode(ModelInferRequest, List)}, or {@code CANCELLED}
	 */
	public Decoded decode(ModelInferRequest request, @Nullable List<TensorSpec> expected, BooleanSupplier cancelled) {
		if (request.getInputsCount() == 0) {
			throw GrpcErrors.invalid("The request has no inputs");
		}
		boolean raw = request.getRawInputContentsCount() > 0;
		if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
			throw GrpcErrors.invalid("The request has " + request.getInputsCount() + " inputs but "
					+ request.getRawInputContentsCount() + " raw_input_contents: give one per input, in order, or none");
		}
		List<TensorBufferPool.Lease> leases = new ArrayList<>(request.getInputsCount());
		try {
			List<Tensor> inputs = new ArrayList<>(request.getInputsCount());
			Set<String> names = new HashSet<>();
			long elements = 0;
			for (int i = 0; i < request.getInputsCount(); i++) {
				checkCancelled(cancelled);
				ModelInferRequest.InferInputTensor input = request.getInputs(i);
				String where = "inputs[" + i + "]" + (input.getName().isEmpty() ? "" : " '" + input.getName() + "'");
				if (input.getName().isEmpty()) {
					throw GrpcErrors.invalid("Input " + where + " has no name");
				}
				if (!names.add(input.getName())) {
					throw GrpcErrors.invalid("Input '" + input.getName() + "' is given more than once");
				}
				if (expected != null && i >= expected.size()) {
					// Refused before the rest of the inputs are looked at, however many there are
					throw GrpcErrors.invalid("The request has " + request.getInputsCount() + " inputs but model '"
							+ request.getModelName() + "' takes " + expected.size());
				}
				TensorDatatype datatype = datatype(input, where);
				long[] shape = shape(input, where);
				check(expected, request.getModelName(), input.getName(), datatype, shape);
				long count = count(shape, where, this.maxElements - elements);
				ByteBuffer bytes = raw
						? raw(input, request.getRawInputContents(i), where, datatype, shape, count, leases)
						: typed(input, where, datatype, shape, count, leases, cancelled);
				// Native-order bytes: the tensor takes them as they are, no copy
				inputs.add(tensor(input.getName(), where, datatype, shape, bytes));
				elements += count;
			}
			// A set: linear in the outputs asked for, whatever their number (the wire check bounds it too)
			Set<String> outputs = new LinkedHashSet<>();
			for (ModelInferRequest.InferRequestedOutputTensor output : request.getOutputsList()) {
				if (!outputs.add(output.getName())) {
					throw GrpcErrors.invalid("Output '" + output.getName() + "' is asked for more than once");
				}
			}
			checkCancelled(cancelled);
			return new Decoded(inputs, List.copyOf(outputs), raw, leases);
		}
		catch (RuntimeException | Error ex) {
			leases.forEach(TensorBufferPool.Lease::close);
			throw ex;
		}
	}

	/**
	 * The tensor over decoded bytes; only raw {@code BYTES} can still be wrong here (lengths that overrun the
	 * contents, or more or fewer strings than the shape holds), which the tensor finds as it walks them.
	 */
	private static Tensor tensor(String name, String where, TensorDatatype datatype, long[] shape, ByteBuffer bytes) {
		try {
			return Tensor.of(name, datatype, shape, bytes);
		}
		catch (InvalidTensorException ex) {
			throw GrpcErrors.invalid("Input " + where + ": " + ex.getMessage());
		}
	}

	private static TensorDatatype datatype(ModelInferRequest.InferInputTensor input, String where) {
		try {
			return TensorDatatype.fromName(input.getDatatype());
		}
		catch (IllegalArgumentException ex) {
			throw GrpcErrors.invalid("Input " + where + ": " + ex.getMessage());
		}
	}

	private static long[] shape(ModelInferRequest.InferInputTensor input, String where) {
		long[] shape = new long[input.getShapeCount()];
		for (int d = 0; d < shape.length; d++) {
			shape[d] = input.getShape(d);
			if (shape[d] < 0) {
				throw GrpcErrors.invalid("Input " + where + " has shape " + input.getShapeList()
						+ ": dimensions must not be negative");
			}
		}
		return shape;
	}

	/**
	 * Refuses an input the model does not take, before a buffer is taken for it.
	 */
	private static void check(@Nullable List<TensorSpec> expected, String model, String name,
			TensorDatatype datatype, long[] shape) {
		if (expected == null) {
			return;
		}
		try {
			TensorSpec.requireInput(model, expected, name, datatype, shape);
		}
		catch (InvalidTensorException ex) {
			throw GrpcErrors.invalid(ex.getMessage());
		}
	}

	private long count(long[] shape, String where, long budget) {
		long count = Tensor.countElements(shape);
		if (count > budget) {
			throw Status.RESOURCE_EXHAUSTED
				.withDescription("Input " + where + " with shape " + Arrays.toString(shape)
						+ " takes the request over its limit of " + this.maxElements
						+ " elements (model-registry.grpc.max-elements)")
				.asRuntimeException();
		}
		return count;
	}

	/**
	 * Copies an input's raw contents, after checking that their size is what its shape and datatype take.
	 */
	private ByteBuffer raw(ModelInferRequest.InferInputTensor input, ByteString contents, String where,
			TensorDatatype datatype, long[] shape, long count, List<TensorBufferPool.Lease> leases) {
		if (input.hasContents()) {
			throw GrpcErrors.invalid("Input " + where + " has contents but the request has raw_input_contents: "
					+ "a request gives every input one way or the other");
		}
		long size = contents.size();
		if (!datatype.holds(count, size)) {
			throw GrpcErrors.invalid("Input " + where + " has " + size + " bytes of raw_input_contents but its shape "
					+ Arrays.toString(shape) + " of " + datatype + " " + datatype.takes(count));
		}
		ByteBuffer bytes = allocate(size, leases);
		contents.copyTo(bytes);
		bytes.clear();
		try {
			datatype.fromLittleEndian(bytes, (int) size);
		}
		catch (InvalidTensorException ex) {
			throw GrpcErrors.invalid("Input " + where + " " + ex.getMessage());
		}
		return bytes;
	}

	/**
	 * Reads an input's typed contents from the field its datatype uses, after checking that it holds exactly the
	 * elements the shape says and that no other field holds any.
	 */
	private ByteBuffer typed(ModelInferRequest.InferInputTensor input, String where, TensorDatatype datatype,
			long[] shape, long count, List<TensorBufferPool.Lease> leases, BooleanSupplier cancelled) {
		TensorContents field = TensorContents.of(datatype);
		InferTensorContents contents = input.getContents();
		for (TensorContents other : TensorContents.values()) {
			if (other != field && other.count(contents) > 0) {
				throw GrpcErrors.invalid("Input " + where + " is " + datatype + ": its elements go in contents."
						+ field.fieldName() + ", not " + other.fieldName());
			}
		}
		int given = field.count(contents);
		if (given != count) {
			throw GrpcErrors.invalid("Input " + where + " has " + given + " elements in contents." + field.fieldName()
					+ " but its shape " + Arrays.toString(shape) + " holds " + count
					+ ((given == 0) ? " (or send raw_input_contents)" : ""));
		}
		TensorDatatype.Elements elements = datatype.elements(given, (size) -> allocate(size, leases));
		ElementSource source = field.source(contents);
		try {
			for (int e = 0; e < given; e++) {
				if ((e & (CANCEL_CHECK_INTERVAL - 1)) == CANCEL_CHECK_INTERVAL - 1) {
					checkCancelled(cancelled);
				}
				elements.read(source);
			}
		}
		catch (InvalidTensorException ex) {
			throw GrpcErrors.invalid("Input " + where + " " + ex.getMessage());
		}
		return elements.bytes();
	}

	private static void checkCancelled(BooleanSupplier cancelled) {
		if (cancelled.getAsBoolean()) {
			throw Status.CANCELLED.withDescription("The call was cancelled while its request was decoded")
				.asRuntimeException();
		}
	}

	private ByteBuffer allocate(long bytes, List<TensorBufferPool.Lease> leases) {
		if (bytes > Integer.MAX_VALUE) {
			throw Status.RESOURCE_EXHAUSTED.withDescription("An input of " + bytes + " bytes does not fit one buffer (2 GB)")
				.asRuntimeException();
		}
		TensorBufferPool pool = this.pool;
		if (pool == null) {
			return ByteBuffer.allocate((int) bytes).order(ByteOrder.nativeOrder());
		}
		TensorBufferPool.Lease lease = pool.acquire((int) bytes);
		leases.add(lease);
		// Direct and in native order: ONNX Runtime reads it in place
		return lease.buffer();
	}

	/**
	 * A decoded request. Its tensors may live in pooled buffers: {@link #close() close} it once they are no longer
	 * read (after inference).
	 *
	 * @param inputs the input tensors
	 * @param outputs the outputs asked for; empty for all
	 * @param raw whether the inputs came as raw contents (the answer's outputs are then raw too)
	 * @param leases the pooled buffers the inputs live in
	 */
	public record Decoded(List<Tensor> inputs, List<String> outputs, boolean raw, List<TensorBufferPool.Lease> leases)
			implements AutoCloseable {

		@Override
		public void close() {
			this.leases.forEach(TensorBufferPool.Lease::close);
		}

	}

}
