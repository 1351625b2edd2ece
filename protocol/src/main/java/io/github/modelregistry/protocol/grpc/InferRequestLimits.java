package io.github.modelregistry.protocol.grpc;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.jspecify.annotations.Nullable;

/**
 * Checks the wire bytes of a {@code ModelInferRequest} before protobuf builds any object from them, so that what a
 * parse allocates follows what a request can legitimately hold rather than how many fields its bytes can encode.
 * <p>
 * Why. protobuf-java turns every occurrence of a message, string, bytes or map field into objects, and keeps every
 * field it does not know (groups included) in an unknown-field set: a 15 MB message of empty {@code inputs} entries
 * (two bytes each) becomes about 7.8 million objects, hundreds of MB, before any code of ours runs. Scalars in
 * repeated numeric fields (packed or not) go into primitive arrays and cost what their bytes cost.
 * <p>
 * Algorithm. One pass over the bytes with {@link CodedInputStream}, descending into the fields the schema defines as
 * messages (inputs, outputs, their contents and parameters) and skipping everything else by its length; it counts
 * the occurrences of each repeated message or bytes field and refuses the request at the first count past its
 * limit, and refuses any field the schema does not have, and groups. Each byte is read once: the cost is linear in
 * the message's size and allocates nothing per field. The limits: at most {@code maxTensors} inputs, requested
 * outputs and raw contents; at most {@value #MAX_PARAMETERS} parameters per map and {@value #MAX_DIMENSIONS}
 * dimensions per shape; at most {@code maxElements} {@code bytes_contents} entries in all, and never more than
 * {@value #MAX_BYTES_ENTRIES}. The service then checks
 * the counts against the model's own inputs and outputs.
 */
public final class InferRequestLimits {

	/** Parameters in one map (request, input or output): Triton's and KServe's clients send a handful. */
	static final int MAX_PARAMETERS = 64;

	/** Dimensions of one shape: ONNX Runtime's tensors have far fewer. */
	static final int MAX_DIMENSIONS = 64;

	/**
	 * {@code bytes_contents} entries in one request. Each becomes an object when parsed (an empty one costs two
	 * bytes on the wire and a reference, a short one tens of bytes of heap), so their number is bounded apart from
	 * the element limit: 65,536 strings is more than any batch a text model takes.
	 */
	static final int MAX_BYTES_ENTRIES = 65_536;

	private final int maxTensors;

	private final long maxElements;

	public InferRequestLimits(int maxTensors, long maxElements) {
		this.maxTensors = maxTensors;
		this.maxElements = maxElements;
	}

	/**
	 * Returns why the bytes are refused, or {@code null} if they are within the limits. Bytes that are not valid
	 * protobuf are left for the parser to report.
	 */
	public @Nullable String check(byte[] bytes) {
		try {
			return new Scan(this.maxTensors, this.maxElements).request(CodedInputStream.newInstance(bytes));
		}
		catch (IOException ex) {
			// Malformed: the parse that follows says what is wrong
			return null;
		}
	}

	private static final class Scan {

		private final int maxTensors;

		private final long maxElements;

		private long bytesEntries;

		Scan(int maxTensors, long maxElements) {
			this.maxTensors = maxTensors;
			this.maxElements = Math.min(maxElements, MAX_BYTES_ENTRIES);
		}

		@Nullable String request(CodedInputStream in) throws IOException {
			int inputs = 0;
			int outputs = 0;
			int raw = 0;
			int parameters = 0;
			for (int tag; (tag = in.readTag()) != 0;) {
				int field = WireFormat.getTagFieldNumber(tag);
				String refused = switch (field) {
					case 1, 2, 3 -> skip(in, tag, "ModelInferRequest");
					case 4 -> (++parameters > MAX_PARAMETERS) ? tooMany("parameters", MAX_PARAMETERS)
							: skip(in, tag, "ModelInferRequest");
					case 5 -> (++inputs > this.maxTensors) ? tooMany("inputs", this.maxTensors)
							: nested(in, tag, "inputs", this::input);
					case 6 -> (++outputs > this.maxTensors) ? tooMany("outputs", this.maxTensors)
							: nested(in, tag, "outputs", this::output);
					case 7 -> (++raw > this.maxTensors) ? tooMany("raw_input_contents", this.maxTensors)
							: skip(in, tag, "ModelInferRequest");
					default -> unknown(field, "ModelInferRequest");
				};
				if (refused != null) {
					return refused;
				}
			}
			return null;
		}

		private @Nullable String input(CodedInputStream in) throws IOException {
			int parameters = 0;
			int dimensions = 0;
			for (int tag; (tag = in.readTag()) != 0;) {
				int field = WireFormat.getTagFieldNumber(tag);
				String refused = switch (field) {
					case 1, 2 -> skip(in, tag, "InferInputTensor");
					case 3 -> shape(in, tag, ++dimensions);
					case 4 -> (++parameters > MAX_PARAMETERS) ? tooMany("parameters of an input", MAX_PARAMETERS)
							: skip(in, tag, "InferInputTensor");
					case 5 -> nested(in, tag, "contents", this::contents);
					default -> unknown(field, "InferInputTensor");
				};
				if (refused != null) {
					return refused;
				}
			}
			return null;
		}

		private @Nullable String shape(CodedInputStream in, int tag, int occurrence) throws IOException {
			if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
				return (occurrence > MAX_DIMENSIONS) ? tooMany("shape dimensions", MAX_DIMENSIONS)
						: skip(in, tag, "InferInputTensor");
			}
			// Packed: count the varints
			int limit = in.pushLimit(in.readRawVarint32());
			for (int dimensions = 0; !in.isAtEnd(); dimensions++) {
				if (dimensions >= MAX_DIMENSIONS) {
					return tooMany("shape dimensions", MAX_DIMENSIONS);
				}
				in.readRawVarint64();
			}
			in.popLimit(limit);
			return null;
		}

		private @Nullable String output(CodedInputStream in) throws IOException {
			int parameters = 0;
			for (int tag; (tag = in.readTag()) != 0;) {
				int field = WireFormat.getTagFieldNumber(tag);
				String refused = switch (field) {
					case 1 -> skip(in, tag, "InferRequestedOutputTensor");
					case 2 -> (++parameters > MAX_PARAMETERS) ? tooMany("parameters of an output", MAX_PARAMETERS)
							: skip(in, tag, "InferRequestedOutputTensor");
					default -> unknown(field, "InferRequestedOutputTensor");
				};
				if (refused != null) {
					return refused;
				}
			}
			return null;
		}

		private @Nullable String contents(CodedInputStream in) throws IOException {
			for (int tag; (tag = in.readTag()) != 0;) {
				int field = WireFormat.getTagFieldNumber(tag);
				String refused;
				if (field >= 1 && field <= 7) {
					// Numeric elements, packed or not: primitive arrays, bounded by the bytes
					refused = skip(in, tag, "InferTensorContents");
				}
				else if (field == 8) {
					refused = (++this.bytesEntries > this.maxElements)
							? tooMany("bytes_contents entries", this.maxElements) : skip(in, tag, "InferTensorContents");
				}
				else {
					refused = unknown(field, "InferTensorContents");
				}
				if (refused != null) {
					return refused;
				}
			}
			return null;
		}

		private static @Nullable String nested(CodedInputStream in, int tag, String what, Part part)
				throws IOException {
			if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
				return "Field " + what + " has wire type " + WireFormat.getTagWireType(tag)
						+ ", not a length-delimited message";
			}
			int limit = in.pushLimit(in.readRawVarint32());
			String refused = part.scan(in);
			if (refused == null && !in.isAtEnd()) {
				// A zero tag before the end: the parser reports it
				return null;
			}
			in.popLimit(limit);
			return refused;
		}

		private static @Nullable String skip(CodedInputStream in, int tag, String message) throws IOException {
			int type = WireFormat.getTagWireType(tag);
			if (type == WireFormat.WIRETYPE_START_GROUP || type == WireFormat.WIRETYPE_END_GROUP) {
				return "Field " + WireFormat.getTagFieldNumber(tag) + " of " + message
						+ " is a group: no field of the Open Inference Protocol is";
			}
			in.skipField(tag);
			return null;
		}

		private static String unknown(int field, String message) {
			return "Field " + field + " is not a field of " + message;
		}

		private static String tooMany(String what, long limit) {
			return "The request has more than " + limit + " " + what;
		}

	}

	@FunctionalInterface
	private interface Part {

		@Nullable String scan(CodedInputStream in) throws IOException;

	}

}
