package io.github.modelregistry.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.modelregistry.tensor.ElementSource;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * Decodes a V2 inference request with Jackson's streaming parser, writing each number straight into the input's
 * bytes, as its {@link TensorDatatype} stores it: no tree, no lists, no boxed numbers, and with a
 * {@link TensorBufferPool} no copy either, as the bytes are direct memory that ONNX Runtime reads in place.
 * <p>
 * {@code data} may be flat, or nested exactly as the shape says (every array at depth d holding {@code shape[d - 1]}
 * entries), in row-major order; ragged, over-nested or otherwise nested data is refused. Keys must not repeat. When
 * {@code data} comes before {@code shape} or {@code datatype} in an input object, its byte range is remembered and
 * parsed again once both are known. Unknown fields are ignored, as the protocol allows extensions to add them.
 * <p>
 * The binary tensor data extension: when the body's JSON is followed by raw tensors, an input may carry
 * {@code parameters.binary_data_size} instead of {@code data}, and its bytes are read from {@link BinaryTensorData};
 * the request's {@code parameters.binary_data_output} and each output's {@code parameters.binary_data} say which
 * outputs the answer carries as raw bytes.
 * <p>
 * A decoded request may hold pooled buffers: close it once its tensors are no longer read. If decoding fails, the
 * buffers it took are returned before the exception leaves.
 */
public class V2RequestDecoder {

	/** The header that gives the JSON header's length of a body with raw tensors after it. */
	public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

	/** Strict about duplicate keys: a second "data" or "shape" would silently replace the first. */
	private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

	private final long maxElements;

	private final @Nullable TensorBufferPool pool;

	/**
	 * Creates a decoder that writes tensors into heap buffers.
	 * @param maxElements the most tensor elements a request may hold, summed over its inputs
	 */
	public V2RequestDecoder(long maxElements) {
		this(maxElements, null);
	}

	/**
	 * @param maxElements the most tensor elements a request may hold, summed over its inputs
	 * @param pool where tensor buffers come from; {@code null} for heap buffers
	 */
	public V2RequestDecoder(long maxElements, @Nullable TensorBufferPool pool) {
		this.maxElements = maxElements;
		this.pool = pool;
	}

	/**
	 * Decodes a request body.
	 * @throws V2Exception 400 naming what is wrong, or 413 when the request holds too many elements
	 */
	public V2InferenceRequest decode(byte[] body) {
		return decode(RequestBytes.of(body), null);
	}

	/**
	 * Decodes a request body in place, without copying it into an array first; the caller still owns its buffer.
	 * @throws V2Exception 400 naming what is wrong, or 413 when the request holds too many elements
	 */
	public V2InferenceRequest decode(RequestBytes body) {
		return decode(body, null);
	}

	/**
	 * Decodes a request body in place, checking each input against what the model expects before any buffer is
	 * taken for it: an unknown input, or a datatype or shape the model does not take, is refused without allocating.
	 * @param expected the model and its inputs; {@code null} when not known (the registry checks them then)
	 * @throws V2Exception 400 naming what is wrong, or 413 when the request holds too many elements
	 */
	public V2InferenceRequest decode(RequestBytes body, @Nullable Expected expected) {
		return decode(body, expected, -1);
	}

	/**
	 * Decodes a request body whose first {@code headerLength} bytes are its JSON and the rest the raw tensors of
	 * the inputs that carry {@code parameters.binary_data_size} instead of {@code data} (the binary tensor data
	 * extension; {@value #HEADER_LENGTH} gives the length). Each raw tensor is checked against its
	 * shape and datatype, and against the bytes that are left, before a buffer is taken for it; bytes left over
	 * after the last one are refused.
	 * @param headerLength the JSON header's length in bytes, between 1 and the body's length; -1 when the whole
	 * body is JSON
	 * @throws V2Exception 400 naming what is wrong, or 413 when the request holds too many elements
	 */
	public V2InferenceRequest decode(RequestBytes body, @Nullable Expected expected, int headerLength) {
		if (headerLength > body.length()) {
			throw V2Exception.badRequest(HEADER_LENGTH + " is " + headerLength + " but the body holds only "
					+ body.length() + " bytes");
		}
		int length = (headerLength < 0) ? body.length() : headerLength;
		BinaryTensorData binary = (headerLength < 0) ? null : new BinaryTensorData(body, headerLength);
		return decode(new Source(body, length, binary), expected);
	}

	private V2InferenceRequest decode(Source body, @Nullable Expected expected) {
		requireUtf8(body);
		List<TensorBufferPool.Lease> leases = new ArrayList<>(2);
		try (JsonParser parser = body.parser(this.json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw V2Exception.badRequest("The request body must be a JSON object");
			}
			String id = null;
			List<Tensor> inputs = null;
			List<String> outputs = List.of();
			Map<String, Boolean> binaryOutputs = new HashMap<>();
			boolean binaryByDefault = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				switch (field) {
					case "id" -> id = string(parser, value, "id");
					case "inputs" -> inputs = inputs(parser, value, body, expected, leases);
					case "outputs" -> outputs = outputs(parser, value, binaryOutputs);
					case "parameters" -> binaryByDefault = Boolean.TRUE
						.equals(parameter(parser, value, "parameters", "binary_data_output"));
					default -> parser.skipChildren();
				}
			}
			if (parser.nextToken() != null) {
				throw V2Exception.badRequest("Unexpected content after the request's JSON object"
						+ ((body.binary() != null) ? " (within the Inference-Header-Content-Length bytes)" : ""));
			}
			if (inputs == null) {
				throw V2Exception.badRequest("Missing field 'inputs'");
			}
			BinaryTensorData binary = body.binary();
			if (binary != null && binary.remaining() > 0) {
				throw V2Exception.badRequest(binary.remaining() + " bytes follow the raw tensors of the binary inputs: "
						+ "the body must end where the last one's binary_data_size does");
			}
			V2InferenceRequest.BinaryOutputs binaryAnswer = (binaryByDefault || !binaryOutputs.isEmpty())
					? new V2InferenceRequest.BinaryOutputs(binaryByDefault, Map.copyOf(binaryOutputs))
					: V2InferenceRequest.BinaryOutputs.NONE;
			return new V2InferenceRequest(id, inputs, outputs, binaryAnswer, leases);
		}
		catch (StreamReadException ex) {
			close(leases);
			throw V2Exception.badRequest("Malformed JSON: " + ex.getOriginalMessage() + location(ex.getLocation()));
		}
		catch (JacksonException ex) {
			close(leases);
			throw V2Exception.badRequest("Malformed JSON: " + ex.getOriginalMessage());
		}
		catch (RuntimeException | Error ex) {
			close(leases);
			throw ex;
		}
	}

	/**
	 * Refuses UTF-16 and UTF-32, which Jackson would otherwise detect and accept: JSON exchanged between systems is
	 * UTF-8 (RFC 8259), and UTF-8 JSON never has a zero byte, nor a UTF-16 byte-order mark, in its first two bytes.
	 */
	private static void requireUtf8(Source body) {
		if (body.length() < 2) {
			return;
		}
		int first = body.byteAt(0);
		int second = body.byteAt(1);
		if (first == 0 || second == 0 || (first == 0xFE && second == 0xFF) || (first == 0xFF && second == 0xFE)) {
			throw V2Exception.badRequest("The request body must be JSON in UTF-8, not UTF-16 or UTF-32");
		}
	}

	private static void close(List<TensorBufferPool.Lease> leases) {
		leases.forEach(TensorBufferPool.Lease::close);
	}

	private List<Tensor> inputs(JsonParser parser, JsonToken token, Source body, @Nullable Expected expected,
			List<TensorBufferPool.Lease> leases) {
		if (token != JsonToken.START_ARRAY) {
			throw V2Exception.badRequest("Field 'inputs' must be an array of input objects");
		}
		List<Tensor> inputs = new ArrayList<>();
		Set<String> names = new HashSet<>();
		long elements = 0;
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			String where = "inputs[" + inputs.size() + "]";
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				throw V2Exception.badRequest("'" + where + "' must be an object with name, shape, datatype and data");
			}
			Tensor input = input(parser, where, body, expected, this.maxElements - elements, leases);
			if (!names.add(input.name())) {
				throw V2Exception.badRequest("Input '" + input.name() + "' is given more than once");
			}
			elements += input.elementCount();
			inputs.add(input);
		}
		if (inputs.isEmpty()) {
			throw V2Exception.badRequest("Field 'inputs' must hold at least one input");
		}
		return inputs;
	}

	private Tensor input(JsonParser parser, String where, Source body, @Nullable Expected expected,
			long elementBudget, List<TensorBufferPool.Lease> leases) {
		String name = null;
		long[] shape = null;
		TensorDatatype datatype = null;
		ByteBuffer data = null;
		long dataStart = -1;
		long dataEnd = -1;
		long binarySize = -1;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (field) {
				case "name" -> name = string(parser, value, where + ".name");
				case "shape" -> shape = shape(parser, value, where);
				case "datatype" -> datatype = datatype(parser, value, where);
				case "parameters" -> binarySize = binaryDataSize(parser, value, where);
				case "data" -> {
					if (value != JsonToken.START_ARRAY) {
						throw V2Exception.badRequest("'" + where + ".data' must be an array of numbers (strings for "
								+ "BYTES), flat or nested");
					}
					if (name != null && shape != null && datatype != null) {
						check(expected, name, datatype, shape);
						long left = body.length() - parser.currentLocation().getByteOffset();
						data = data(parser, label(name, where), datatype, shape,
								count(shape, label(name, where), elementBudget), left, leases);
					}
					else {
						// Name, shape or datatype comes later: remember where the array is and parse it then
						dataStart = parser.currentTokenLocation().getByteOffset();
						parser.skipChildren();
						dataEnd = parser.currentLocation().getByteOffset();
					}
				}
				default -> parser.skipChildren();
			}
		}
		if (name == null) {
			throw V2Exception.badRequest("'" + where + "' is missing field 'name'");
		}
		if (shape == null) {
			throw V2Exception.badRequest("Input '" + name + "' is missing field 'shape'");
		}
		if (datatype == null) {
			throw V2Exception.badRequest("Input '" + name + "' is missing field 'datatype'");
		}
		if (binarySize >= 0) {
			if (data != null || dataStart >= 0) {
				throw V2Exception.badRequest("Input '" + name + "' has both 'data' and 'parameters.binary_data_size': "
						+ "send exactly one of the two");
			}
			check(expected, name, datatype, shape);
			return tensor(name, datatype, shape, binary(body.binary(), label(name, where), datatype, shape,
					count(shape, label(name, where), elementBudget), binarySize, leases));
		}
		if (data == null) {
			if (dataStart < 0) {
				throw V2Exception.badRequest("Input '" + name + "' is missing field 'data' (or, with the binary tensor "
						+ "data extension, 'parameters.binary_data_size')");
			}
			check(expected, name, datatype, shape);
			try (JsonParser later = body.parser(this.json, (int) dataStart, (int) (dataEnd - dataStart))) {
				later.nextToken();
				long left = (dataEnd - dataStart) - later.currentLocation().getByteOffset();
				data = data(later, label(name, where), datatype, shape, count(shape, label(name, where), elementBudget),
						left, leases);
			}
		}
		return tensor(name, datatype, shape, data);
	}

	/**
	 * The tensor over decoded bytes; only {@code BYTES} can still be wrong here (lengths that overrun their raw
	 * tensor, or more or fewer strings than the shape holds), which the tensor finds as it walks them.
	 */
	private static Tensor tensor(String name, TensorDatatype datatype, long[] shape, ByteBuffer data) {
		try {
			return Tensor.of(name, datatype, shape, data);
		}
		catch (InvalidTensorException ex) {
			throw V2Exception.badRequest(ex.getMessage());
		}
	}

	/**
	 * Refuses an input the model does not take, before a buffer is taken for it.
	 */
	private static void check(@Nullable Expected expected, String name, TensorDatatype datatype, long[] shape) {
		if (expected == null) {
			return;
		}
		try {
			TensorSpec.requireInput(expected.model(), expected.inputs(), name, datatype, shape);
		}
		catch (InvalidTensorException ex) {
			throw V2Exception.badRequest(ex.getMessage());
		}
	}

	private long count(long[] shape, String input, long budget) {
		long count = Tensor.countElements(shape);
		if (count > budget) {
			throw new V2Exception(V2Exception.CONTENT_TOO_LARGE, "Input " + input + " with shape "
					+ Arrays.toString(shape) + " takes the request over its limit of " + this.maxElements
					+ " elements (model-registry.web.max-elements)");
		}
		return count;
	}

	/**
	 * Reads a flat or nested array of {@code count} elements into bytes of the datatype. Nothing is allocated for a
	 * count the rest of the body cannot hold: in JSON, {@code n} elements take at least {@code 2n - 1} bytes (one
	 * digit each, a comma between), so a few bytes declaring a huge shape are refused before any buffer is taken.
	 * @param left the bytes of the body after the array's opening bracket
	 */
	private ByteBuffer data(JsonParser parser, String input, TensorDatatype datatype, long[] shape, long count,
			long left, List<TensorBufferPool.Lease> leases) {
		if (count > 0 && 2 * count - 1 > left) {
			throw V2Exception.badRequest("Input " + input + " declares " + count + " elements (shape "
					+ Arrays.toString(shape) + ") but the " + left + " bytes left in the request cannot hold them");
		}
		int size = (int) count;
		Elements elements = new Elements(parser, input, datatype,
				datatype.elements(size, (bytes) -> allocate(bytes, datatype, size, leases)));
		// Flat ([1, 2, 3, 4]) or nested exactly as the shape says ([[1, 2], [3, 4]] for [2, 2]): decided by the first
		// entry. Nested, every array at depth d must hold shape[d - 1] entries and numbers sit only at the deepest.
		int rank = shape.length;
		int[] entries = new int[rank + 2];
		Boolean nested = null;
		int depth = 1;
		while (depth > 0) {
			JsonToken token = parser.nextToken();
			if (token == JsonToken.START_ARRAY) {
				if (nested == null) {
					nested = true;
				}
				if (!nested || depth >= rank) {
					throw V2Exception.badRequest("Input " + input + " data is nested deeper than its shape "
							+ Arrays.toString(shape) + " (or mixes numbers and arrays)");
				}
				entries[depth]++;
				depth++;
				entries[depth] = 0;
			}
			else if (token == JsonToken.END_ARRAY) {
				if (Boolean.TRUE.equals(nested) && entries[depth] != shape[depth - 1]) {
					throw V2Exception.badRequest("Input " + input + " data is ragged: an array at depth " + depth
							+ " holds " + entries[depth] + " entries where its shape " + Arrays.toString(shape)
							+ " has " + shape[depth - 1]);
				}
				depth--;
			}
			else {
				if (nested == null) {
					nested = false;
				}
				if (nested && depth != rank) {
					throw V2Exception.badRequest("Input " + input + " data mixes numbers and arrays at depth " + depth
							+ " of its shape " + Arrays.toString(shape));
				}
				if (elements.size() == size) {
					throw V2Exception.badRequest("Input " + input + " has more data elements than its shape holds ("
							+ size + ")");
				}
				elements.add(token);
				entries[depth]++;
			}
		}
		if (elements.size() != size) {
			throw V2Exception.badRequest("Input " + input + " has " + elements.size()
					+ " data elements but its shape holds " + size);
		}
		return elements.bytes();
	}

	/**
	 * Reads an input's raw tensor, after checking that its declared size is what its shape and datatype take and
	 * that the body still holds that many bytes: a few bytes declaring a huge tensor take no buffer.
	 */
	private ByteBuffer binary(@Nullable BinaryTensorData binary, String input, TensorDatatype datatype, long[] shape,
			long count, long size, List<TensorBufferPool.Lease> leases) {
		if (binary == null) {
			throw V2Exception.badRequest("Input " + input + " gives 'parameters.binary_data_size' but the request has "
					+ "no Inference-Header-Content-Length header saying where its JSON ends and the raw tensors begin");
		}
		if (!datatype.holds(count, size)) {
			throw V2Exception.badRequest("Input " + input + " has binary_data_size " + size + " but its shape "
					+ Arrays.toString(shape) + " of " + datatype + " " + datatype.takes(count));
		}
		if (size > binary.remaining()) {
			throw V2Exception.badRequest("Input " + input + " declares " + size + " bytes of binary data but only "
					+ binary.remaining() + " are left in the request body");
		}
		ByteBuffer bytes = allocate(size, datatype, count, leases);
		binary.read(bytes, (int) size, datatype, input);
		return bytes;
	}

	/**
	 * Reads an input's {@code parameters}: its {@code binary_data_size}, or -1 when it has none.
	 */
	private static long binaryDataSize(JsonParser parser, JsonToken token, String where) {
		String field = where + ".parameters.binary_data_size";
		if (token != JsonToken.START_OBJECT) {
			throw V2Exception.badRequest("Field '" + where + ".parameters' must be an object");
		}
		long size = -1;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals("binary_data_size")) {
				if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
						|| parser.getLongValue() < 0 || parser.getLongValue() > Integer.MAX_VALUE) {
					throw V2Exception.badRequest("Field '" + field + "' must be a non-negative integer of bytes");
				}
				size = parser.getLongValue();
			}
			else {
				parser.skipChildren();
			}
		}
		return size;
	}

	/**
	 * Reads a {@code parameters} object, returning its boolean parameter {@code name}, or {@code null} when it has
	 * none; the others are skipped.
	 */
	private static @Nullable Boolean parameter(JsonParser parser, JsonToken token, String where, String name) {
		if (token != JsonToken.START_OBJECT) {
			throw V2Exception.badRequest("Field '" + where + "' must be an object");
		}
		Boolean found = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String field = parser.currentName();
			JsonToken value = parser.nextToken();
			if (field.equals(name)) {
				if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
					throw V2Exception.badRequest("Field '" + where + "." + name + "' must be true or false");
				}
				found = value == JsonToken.VALUE_TRUE;
			}
			else {
				parser.skipChildren();
			}
		}
		return found;
	}

	/**
	 * Returns {@code bytes} native-order bytes for {@code size} elements, positioned at 0: a pooled lease's direct
	 * buffer itself, or heap bytes without a pool.
	 */
	private ByteBuffer allocate(long bytes, TensorDatatype datatype, long size, List<TensorBufferPool.Lease> leases) {
		if (bytes > Integer.MAX_VALUE) {
			throw new V2Exception(V2Exception.CONTENT_TOO_LARGE, "An input of " + size + " " + datatype
					+ " elements does not fit one buffer (2 GB)");
		}
		TensorBufferPool pool = this.pool;
		if (pool == null) {
			// Heap, not direct, without a pool: a direct buffer per request is the native allocation, zeroing and
			// Cleaner that the pool exists to avoid, paid even by requests rejected before they run (a wrong shape
			// or datatype) and freed only by a later GC. On the heap it is a cheap allocation the young generation
			// reclaims; OnnxModel copies it into direct memory when it runs, as ONNX Runtime did with heap arrays.
			return ByteBuffer.allocate((int) bytes).order(ByteOrder.nativeOrder());
		}
		TensorBufferPool.Lease lease = pool.acquire((int) bytes);
		leases.add(lease);
		// Direct and in native order: ONNX Runtime reads it in place, whatever the datatype
		return lease.buffer();
	}

	private static long[] shape(JsonParser parser, JsonToken token, String where) {
		if (token != JsonToken.START_ARRAY) {
			throw V2Exception.badRequest("'" + where + ".shape' must be an array of non-negative integers");
		}
		long[] shape = new long[8];
		int rank = 0;
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
					|| parser.getLongValue() < 0) {
				throw V2Exception.badRequest("'" + where + ".shape' must be an array of non-negative integers");
			}
			if (rank == shape.length) {
				shape = Arrays.copyOf(shape, rank * 2);
			}
			shape[rank++] = parser.getLongValue();
		}
		return Arrays.copyOf(shape, rank);
	}

	private static TensorDatatype datatype(JsonParser parser, JsonToken token, String where) {
		String name = string(parser, token, where + ".datatype");
		try {
			return TensorDatatype.fromName(name);
		}
		catch (IllegalArgumentException ex) {
			throw V2Exception.badRequest("'" + where + ".datatype': " + ex.getMessage());
		}
	}

	private static List<String> outputs(JsonParser parser, JsonToken token, Map<String, Boolean> binary) {
		if (token != JsonToken.START_ARRAY) {
			throw V2Exception.badRequest("Field 'outputs' must be an array of objects with a name");
		}
		List<String> outputs = new ArrayList<>();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			String where = "outputs[" + outputs.size() + "]";
			if (parser.currentToken() != JsonToken.START_OBJECT) {
				throw V2Exception.badRequest("'" + where + "' must be an object with a name");
			}
			String name = null;
			Boolean binaryData = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken value = parser.nextToken();
				if (field.equals("name")) {
					name = string(parser, value, where + ".name");
				}
				else if (field.equals("parameters")) {
					binaryData = parameter(parser, value, where + ".parameters", "binary_data");
				}
				else {
					parser.skipChildren();
				}
			}
			if (name == null) {
				throw V2Exception.badRequest("'" + where + "' is missing field 'name'");
			}
			if (binaryData != null) {
				binary.put(name, binaryData);
			}
			outputs.add(name);
		}
		return outputs;
	}

	private static String string(JsonParser parser, JsonToken token, String field) {
		if (token != JsonToken.VALUE_STRING) {
			throw V2Exception.badRequest("Field '" + field + "' must be a string");
		}
		return parser.getString();
	}

	private static String label(@Nullable String name, String where) {
		return (name != null) ? "'" + name + "'" : "'" + where + "'";
	}

	private static String location(@Nullable TokenStreamLocation location) {
		return (location != null) ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
				: "";
	}

	/**
	 * The inputs a model takes, to check a request against while it is decoded.
	 *
	 * @param model the model's name
	 * @param inputs its inputs
	 */
	public record Expected(String model, List<TensorSpec> inputs) {

	}

	/**
	 * The parsing side of a request body: the whole body, or a byte range of it.
	 */
	/**
	 * The JSON of a body: its first {@code length} bytes, parsed from the array behind them when there is one, else
	 * streamed from where the face keeps them.
	 */
	private static final class Source {

		private final RequestBytes body;

		private final byte @Nullable [] array;

		private final int length;

		private final @Nullable BinaryTensorData binary;

		Source(RequestBytes body, int length, @Nullable BinaryTensorData binary) {
			this.body = body;
			this.array = body.array();
			this.length = length;
			this.binary = binary;
		}

		JsonParser parser(JsonFactory json) {
			return (this.array != null) ? json.createParser(this.array, 0, this.length)
					: json.createParser(this.body.stream(0, this.length));
		}

		/**
		 * A parser of a range of the JSON: the rare out-of-order input, parsed again once its shape and datatype
		 * are known.
		 */
		JsonParser parser(JsonFactory json, int start, int count) {
			if (this.array != null) {
				return json.createParser(this.array, start, count);
			}
			// The first parser still streams, so copy the range out
			byte[] range = new byte[count];
			this.body.copy(start, ByteBuffer.wrap(range), 0, count);
			return json.createParser(range);
		}

		/**
		 * Returns the raw tensors after the JSON header, or {@code null} when the whole body is JSON.
		 */
		@Nullable BinaryTensorData binary() {
			return this.binary;
		}

		/**
		 * Returns the length of the JSON, in bytes.
		 */
		int length() {
			return this.length;
		}

		/**
		 * Returns one byte of the body, 0 to 255.
		 */
		int byteAt(int index) {
			return this.body.byteAt(index);
		}

	}

	/**
	 * The bytes of one input, filled element by element by its datatype, which reads each element from the current
	 * token of the parser: this class checks the token's kind and range and raises the 400 naming the element.
	 */
	private static final class Elements implements ElementSource {

		private final JsonParser parser;

		private final String input;

		private final TensorDatatype datatype;

		private final TensorDatatype.Elements target;

		private JsonToken token = JsonToken.NOT_AVAILABLE;

		Elements(JsonParser parser, String input, TensorDatatype datatype, TensorDatatype.Elements target) {
			this.parser = parser;
			this.input = input;
			this.datatype = datatype;
			this.target = target;
		}

		void add(JsonToken token) {
			this.token = token;
			this.target.read(this);
		}

		/**
		 * Returns the elements read so far: while one is read, its index.
		 */
		int size() {
			return this.target.size();
		}

		ByteBuffer bytes() {
			return this.target.bytes();
		}

		@Override
		public byte[] nextBytes() {
			if (this.token != JsonToken.VALUE_STRING) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size()
						+ " is not a string (" + describe(this.token) + "; BYTES data must be strings)");
			}
			// Jackson has checked the UTF-8 of the body; the string is the client's text, encoded again
			return this.parser.getString().getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public double nextFloatingPoint(double max) {
			if (this.token != JsonToken.VALUE_NUMBER_INT && this.token != JsonToken.VALUE_NUMBER_FLOAT) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size() + " is not a number ("
						+ describe(this.token) + ")");
			}
			double value = Decimals.exact(this.parser.getTextCharacters(), this.parser.getTextOffset(),
					this.parser.getTextLength());
			if (Double.isNaN(value)) {
				value = this.parser.getDoubleValue();
			}
			// 1e400 parses to an infinity, 1e39 overflows a float: neither is what the client sent
			if (!(Math.abs(value) <= max)) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size() + " ("
						+ this.parser.getText() + ") is out of range for " + this.datatype + " (magnitude at most "
						+ max + ")");
			}
			return value;
		}

		@Override
		public long nextInteger(long min, long max) {
			if (this.token != JsonToken.VALUE_NUMBER_INT) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size()
						+ " is not an integer (" + describe(this.token) + ")");
			}
			long value;
			try {
				value = this.parser.getLongValue();
			}
			catch (InputCoercionException ex) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size()
						+ " is out of range [" + min + ", " + max + "]");
			}
			if (value < min || value > max) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size() + " (" + value
						+ ") is out of range [" + min + ", " + max + "]");
			}
			return value;
		}

		@Override
		public boolean nextBoolean() {
			if (this.token != JsonToken.VALUE_TRUE && this.token != JsonToken.VALUE_FALSE) {
				throw V2Exception.badRequest("Input " + this.input + " data element " + size()
						+ " is not a boolean (BOOL data must be true or false)");
			}
			return this.token == JsonToken.VALUE_TRUE;
		}

		private static String describe(JsonToken token) {
			return switch (token) {
				case VALUE_STRING -> "found a string";
				case VALUE_NUMBER_INT -> "found a number";
				case VALUE_NULL -> "found null";
				case VALUE_TRUE, VALUE_FALSE -> "found a boolean";
				case START_OBJECT -> "found an object";
				case VALUE_NUMBER_FLOAT -> "found a decimal number";
				default -> "found " + token;
			};
		}

	}

}
