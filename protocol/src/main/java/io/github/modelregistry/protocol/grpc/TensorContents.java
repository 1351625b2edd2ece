package io.github.modelregistry.protocol.grpc;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.tensor.ElementSink;
import io.github.modelregistry.tensor.ElementSource;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.TensorDatatype;

/**
 * The typed fields of the protocol's {@code InferTensorContents}, and the gRPC face's one table from datatypes to
 * them ({@link #of}), as the specification assigns them: {@code INT8}, {@code INT16} and {@code INT32} in
 * {@code int_contents}, {@code UINT8} in {@code uint_contents}, {@code BYTES} in {@code bytes_contents}, and so on. Each field reads elements for
 * {@link TensorDatatype#read} and takes them from {@link TensorDatatype#write}; the datatype narrows and widens, the
 * field only checks the range it cannot hold (an {@code int_contents} value of 300 for an {@code INT8} input).
 */
public enum TensorContents {

	BOOLS("bool_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getBoolContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public boolean nextBoolean() {
					return contents.getBoolContents(this.index++);
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeBoolean(boolean value) {
					contents.addBoolContents(value);
				}

			};
		}

	},

	INTS("int_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getIntContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public long nextInteger(long min, long max) {
					return inRange(this.index, contents.getIntContents(this.index++), min, max);
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeLong(long value) {
					contents.addIntContents((int) value);
				}

			};
		}

	},

	INT64S("int64_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getInt64ContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public long nextInteger(long min, long max) {
					return inRange(this.index, contents.getInt64Contents(this.index++), min, max);
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeLong(long value) {
					contents.addInt64Contents(value);
				}

			};
		}

	},

	UINTS("uint_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getUintContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public long nextInteger(long min, long max) {
					// uint32 arrives in a Java int: read it unsigned
					return inRange(this.index, Integer.toUnsignedLong(contents.getUintContents(this.index++)), min, max);
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeLong(long value) {
					contents.addUintContents((int) value);
				}

			};
		}

	},

	FP32S("fp32_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getFp32ContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public double nextFloatingPoint(double max) {
					// A float always fits FP32; NaN and infinities pass, as they do in raw contents
					return contents.getFp32Contents(this.index++);
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeFloat(float value) {
					contents.addFp32Contents(value);
				}

			};
		}

	},

	FP64S("fp64_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getFp64ContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public double nextFloatingPoint(double max) {
					return contents.getFp64Contents(this.index++);
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeDouble(double value) {
					contents.addFp64Contents(value);
				}

			};
		}

	},

	BYTES("bytes_contents") {

		@Override
		public int count(InferTensorContents contents) {
			return contents.getBytesContentsCount();
		}

		@Override
		public ElementSource source(InferTensorContents contents) {
			return new Source() {

				@Override
				public byte[] nextBytes() {
					return contents.getBytesContents(this.index++).toByteArray();
				}

			};
		}

		@Override
		public ElementSink sink(InferTensorContents.Builder contents) {
			return new Sink() {

				@Override
				public void writeBytes(ByteBuffer value) {
					contents.addBytesContents(ByteString.copyFrom(value.duplicate()));
				}

			};
		}

	};

	/** The specification's assignment of datatypes to fields; every datatype the tensors support has one. */
	private static final Map<TensorDatatype, TensorContents> FIELDS = new EnumMap<>(TensorDatatype.class);

	static {
		FIELDS.put(TensorDatatype.BOOL, BOOLS);
		FIELDS.put(TensorDatatype.UINT8, UINTS);
		FIELDS.put(TensorDatatype.INT8, INTS);
		FIELDS.put(TensorDatatype.INT16, INTS);
		FIELDS.put(TensorDatatype.INT32, INTS);
		FIELDS.put(TensorDatatype.INT64, INT64S);
		FIELDS.put(TensorDatatype.FP32, FP32S);
		FIELDS.put(TensorDatatype.FP64, FP64S);
		FIELDS.put(TensorDatatype.BYTES, BYTES);
	}

	/**
	 * Returns the field that carries a datatype's elements.
	 */
	public static TensorContents of(TensorDatatype datatype) {
		TensorContents field = FIELDS.get(datatype);
		if (field == null) {
			throw new IllegalStateException("No InferTensorContents field for " + datatype);
		}
		return field;
	}

	private final String fieldName;

	TensorContents(String fieldName) {
		this.fieldName = fieldName;
	}

	/**
	 * Returns the number of elements the field holds.
	 */
	public abstract int count(InferTensorContents contents);

	/**
	 * Returns a source that reads the field's elements in order, once each.
	 */
	public abstract ElementSource source(InferTensorContents contents);

	/**
	 * Returns a sink that appends elements to the field.
	 */
	public abstract ElementSink sink(InferTensorContents.Builder contents);

	/**
	 * Returns the field's name in the specification.
	 */
	String fieldName() {
		return this.fieldName;
	}

	private static long inRange(int index, long value, long min, long max) {
		if (value < min || value > max) {
			throw new InvalidTensorException("element " + index + " is " + value + ", outside the datatype's range ["
					+ min + ", " + max + "]");
		}
		return value;
	}

	/**
	 * Reads one kind of value; the datatype asks only for the kind its field holds, so the others are never called.
	 */
	private abstract static class Source implements ElementSource {

		int index;

		@Override
		public double nextFloatingPoint(double max) {
			throw new IllegalStateException("not a floating point field");
		}

		@Override
		public long nextInteger(long min, long max) {
			throw new IllegalStateException("not an integer field");
		}

		@Override
		public boolean nextBoolean() {
			throw new IllegalStateException("not a boolean field");
		}

		@Override
		public byte[] nextBytes() {
			throw new IllegalStateException("not a bytes field");
		}

	}

	/**
	 * Writes one kind of value; the datatype writes only the kind its field holds.
	 */
	private abstract static class Sink implements ElementSink {

		@Override
		public void writeFloat(float value) {
			throw new IllegalStateException("not an FP32 field");
		}

		@Override
		public void writeDouble(double value) {
			throw new IllegalStateException("not an FP64 field");
		}

		@Override
		public void writeLong(long value) {
			throw new IllegalStateException("not an integer field");
		}

		@Override
		public void writeBoolean(boolean value) {
			throw new IllegalStateException("not a boolean field");
		}

		@Override
		public void writeBytes(ByteBuffer value) {
			throw new IllegalStateException("not a bytes field");
		}

	}

}
