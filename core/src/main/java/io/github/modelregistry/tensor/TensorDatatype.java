package io.github.modelregistry.tensor;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Tensor element types, named as the Open Inference Protocol (KServe V2) names them.
 * <p>
 * This is the one place a datatype's behaviour lives: its size, its ONNX Runtime name, the typed buffer that
 * holds it, and how one element is read from an {@link ElementSource}, written to an {@link ElementSink} or
 * widened to a {@code double}. Decoders, encoders and the runtime adapter loop once over the elements and let the
 * datatype do the rest; none of them switches over datatypes. A new datatype is one more constant here.
 * <p>
 * Elements are stored as a {@link Tensor} holds them: row-major, {@link #bytes()} bytes each, in native byte
 * order. Every method taking a {@code ByteBuffer} reads or writes it that way, with absolute gets and puts at
 * {@code index * bytes()} from the buffer's start, whatever its position: pass a buffer whose
 * {@link ByteBuffer#order() order} is {@link ByteOrder#nativeOrder()}, as {@link Tensor#bytes()} returns.
 */
public enum TensorDatatype {

	/** Booleans, one byte each (0 or 1). */
	BOOL("BOOL", 1, ByteBuffer.class) {

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			// Any non-zero byte is true, as ONNX Runtime reads it: widened to exactly 1
			return (bytes.get(index) != 0) ? 1 : 0;
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.put(index, (byte) (source.nextBoolean() ? 1 : 0));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeBoolean(bytes.get(index) != 0);
		}

		@Override
		public void fromLittleEndian(ByteBuffer bytes, int length) {
			// Raw BOOL is one byte per element, 0 or 1: anything else is a client's mistake, not a truth value
			for (int i = 0; i < length; i++) {
				byte value = bytes.get(i);
				if (value != 0 && value != 1) {
					throw new InvalidTensorException("raw BOOL element " + i + " is " + (value & 0xFF)
							+ ": BOOL is one byte per element, 0 or 1");
				}
			}
		}

	},

	/** Unsigned 8-bit integers. */
	UINT8("UINT8", 1, ByteBuffer.class) {

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			// Java bytes are signed: 255 is stored as -1
			return Byte.toUnsignedInt(bytes.get(index));
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.put(index, (byte) source.nextInteger(0, 255));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeLong(Byte.toUnsignedInt(bytes.get(index)));
		}

	},

	/** Signed 8-bit integers. */
	INT8("INT8", 1, ByteBuffer.class) {

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			return bytes.get(index);
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.put(index, (byte) source.nextInteger(Byte.MIN_VALUE, Byte.MAX_VALUE));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeLong(bytes.get(index));
		}

	},

	/** Signed 16-bit integers. */
	INT16("INT16", 2, ShortBuffer.class) {

		@Override
		public Buffer view(ByteBuffer bytes) {
			return nativeOrder(bytes).asShortBuffer();
		}

		@Override
		void copy(Buffer values, ByteBuffer bytes) {
			((ShortBuffer) view(bytes)).put((ShortBuffer) values);
		}

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			return bytes.getShort(index * Short.BYTES);
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.putShort(index * Short.BYTES, (short) source.nextInteger(Short.MIN_VALUE, Short.MAX_VALUE));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeLong(bytes.getShort(index * Short.BYTES));
		}

	},

	/** Signed 32-bit integers. */
	INT32("INT32", 4, IntBuffer.class) {

		@Override
		public Buffer view(ByteBuffer bytes) {
			return nativeOrder(bytes).asIntBuffer();
		}

		@Override
		void copy(Buffer values, ByteBuffer bytes) {
			((IntBuffer) view(bytes)).put((IntBuffer) values);
		}

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			return bytes.getInt(index * Integer.BYTES);
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.putInt(index * Integer.BYTES, (int) source.nextInteger(Integer.MIN_VALUE, Integer.MAX_VALUE));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeLong(bytes.getInt(index * Integer.BYTES));
		}

	},

	/** Signed 64-bit integers. */
	INT64("INT64", 8, LongBuffer.class) {

		@Override
		public Buffer view(ByteBuffer bytes) {
			return nativeOrder(bytes).asLongBuffer();
		}

		@Override
		void copy(Buffer values, ByteBuffer bytes) {
			((LongBuffer) view(bytes)).put((LongBuffer) values);
		}

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			return bytes.getLong(index * Long.BYTES);
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.putLong(index * Long.BYTES, source.nextInteger(Long.MIN_VALUE, Long.MAX_VALUE));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeLong(bytes.getLong(index * Long.BYTES));
		}

	},

	/** 32-bit floating point numbers. */
	FP32("FLOAT", 4, FloatBuffer.class) {

		@Override
		public Buffer view(ByteBuffer bytes) {
			return nativeOrder(bytes).asFloatBuffer();
		}

		@Override
		void copy(Buffer values, ByteBuffer bytes) {
			((FloatBuffer) view(bytes)).put((FloatBuffer) values);
		}

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			return bytes.getFloat(index * Float.BYTES);
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.putFloat(index * Float.BYTES, (float) source.nextFloatingPoint(Float.MAX_VALUE));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			// As a float, not widened: a sink prints 0.1f as 0.1, not 0.10000000149011612
			sink.writeFloat(bytes.getFloat(index * Float.BYTES));
		}

	},

	/** 64-bit floating point numbers. */
	FP64("DOUBLE", 8, DoubleBuffer.class) {

		@Override
		public Buffer view(ByteBuffer bytes) {
			return nativeOrder(bytes).asDoubleBuffer();
		}

		@Override
		void copy(Buffer values, ByteBuffer bytes) {
			((DoubleBuffer) view(bytes)).put((DoubleBuffer) values);
		}

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			return bytes.getDouble(index * Double.BYTES);
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			bytes.putDouble(index * Double.BYTES, source.nextFloatingPoint(Double.MAX_VALUE));
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			sink.writeDouble(bytes.getDouble(index * Double.BYTES));
		}

	};

	private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

	/** {@link #values()} clones its array on every call; this is read once per output tensor. */
	private static final TensorDatatype[] VALUES = values();

	private final String onnxTypeName;

	private final int bytes;

	private final Class<? extends Buffer> bufferType;

	TensorDatatype(String onnxTypeName, int bytes, Class<? extends Buffer> bufferType) {
		this.onnxTypeName = onnxTypeName;
		this.bytes = bytes;
		this.bufferType = bufferType;
	}

	/**
	 * Returns the size of one element in bytes.
	 */
	public int bytes() {
		return this.bytes;
	}

	/**
	 * Returns the name of the matching ONNX Runtime element type, the name of an {@code ai.onnxruntime.OnnxJavaType}
	 * constant such as {@code FLOAT} or {@code INT64}. A name rather than the type itself, so that this package
	 * does not need ONNX Runtime on the class path.
	 */
	public String onnxTypeName() {
		return this.onnxTypeName;
	}

	/**
	 * Returns the kind of typed buffer that holds elements of this datatype: {@code FloatBuffer} for {@code FP32},
	 * {@code ByteBuffer} for {@code BOOL}, {@code UINT8} and {@code INT8}, and so on. It is what {@link #view}
	 * returns and what {@link #toBytes} and {@link Tensor#of} accept.
	 */
	public Class<? extends Buffer> bufferType() {
		return this.bufferType;
	}

	/**
	 * Returns a view of the remaining bytes of a buffer as a buffer of {@link #bufferType()}, in native byte order,
	 * positioned at the first element. The view shares the bytes (and is read-only if they are) but has its own
	 * position and limit.
	 * @param bytes the elements in native byte order
	 */
	public Buffer view(ByteBuffer bytes) {
		// One-byte datatypes are held in the bytes themselves; wider ones override this
		return bytes.slice();
	}

	/**
	 * Copies the remaining elements of a typed buffer into new bytes, in native byte order, without moving the
	 * buffer's position. The bytes are on the heap: a tensor built on them may never reach a runtime, and one that
	 * does costs ONNX Runtime a single copy into direct memory.
	 * @param values a buffer of {@link #bufferType()}
	 * @return heap bytes positioned at 0, {@code values.remaining() * bytes()} long
	 * @throws IllegalArgumentException if {@code values} is not a buffer of {@link #bufferType()}
	 */
	public ByteBuffer toBytes(Buffer values) {
		if (!this.bufferType.isInstance(values)) {
			throw new IllegalArgumentException("Datatype " + name() + " is held in a " + this.bufferType.getSimpleName()
					+ ", not a " + values.getClass().getSimpleName());
		}
		long length = (long) values.remaining() * this.bytes;
		if (length > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(values.remaining() + " " + name() + " elements do not fit one buffer (2 GB)");
		}
		ByteBuffer bytes = ByteBuffer.allocate((int) length).order(ByteOrder.nativeOrder());
		// A duplicate, as a relative put moves the position of the buffer it reads
		copy(values.duplicate(), bytes);
		return bytes.clear();
	}

	/**
	 * Copies all remaining elements of {@code values}, of {@link #bufferType()}, to the start of {@code bytes}.
	 */
	void copy(Buffer values, ByteBuffer bytes) {
		// One-byte datatypes come as a ByteBuffer; wider ones override this
		bytes.put((ByteBuffer) values);
	}

	/**
	 * Returns one element widened to a {@code double}: {@code UINT8} as 0 to 255, {@code BOOL} as 0 or 1. Exact for
	 * every datatype except {@code INT64} beyond 2<sup>53</sup>.
	 * @param bytes the elements in native byte order
	 * @param index the element's index (not its byte offset)
	 */
	public abstract double getDouble(ByteBuffer bytes, int index);

	/**
	 * Reads one element from a source and stores it. The datatype asks the source for the kind of value it holds,
	 * with its range for the integer datatypes, and narrows the value to its size.
	 * @param bytes where the elements go, in native byte order
	 * @param index the element's index (not its byte offset)
	 * @param source where the element comes from; it raises its own error if the element does not fit
	 */
	public abstract void read(ByteBuffer bytes, int index, ElementSource source);

	/**
	 * Writes one stored element to a sink, with the {@link ElementSink} method that keeps it exact.
	 * @param bytes the elements in native byte order
	 * @param index the element's index (not its byte offset)
	 * @param sink where the element goes
	 */
	public abstract void write(ByteBuffer bytes, int index, ElementSink sink);

	/**
	 * Turns raw elements as the Open Inference Protocol sends them (little-endian, row-major: the binary tensor data
	 * extension and gRPC's {@code raw_input_contents}) into elements as a {@link Tensor} holds them (native order),
	 * in place, and checks them where a datatype has invalid byte patterns. On a little-endian machine (x86, ARM as
	 * Java runs it) the two orders are the same and nothing moves.
	 * @param bytes the elements, from index 0
	 * @param length their length in bytes, a multiple of {@link #bytes()}
	 * @throws InvalidTensorException naming the element if one is not a valid value ({@code BOOL} other than 0, 1)
	 */
	public void fromLittleEndian(ByteBuffer bytes, int length) {
		if (!NATIVE_LITTLE_ENDIAN) {
			reverseElements(bytes, 0, length, this.bytes);
		}
	}

	/**
	 * Copies a tensor's remaining elements into {@code out} at {@code offset} in the protocol's raw order,
	 * little-endian, without moving the tensor's position: the reverse of {@link #fromLittleEndian}.
	 * @param elements the elements in native order, as {@link Tensor#bytes()} returns them
	 */
	public void toLittleEndian(ByteBuffer elements, byte[] out, int offset) {
		int length = elements.remaining();
		elements.get(elements.position(), out, offset, length);
		if (!NATIVE_LITTLE_ENDIAN) {
			reverseElements(ByteBuffer.wrap(out), offset, length, this.bytes);
		}
	}

	private static void reverseElements(ByteBuffer bytes, int from, int length, int width) {
		for (int element = from; element < from + length; element += width) {
			for (int i = element, j = element + width - 1; i < j; i++, j--) {
				byte swap = bytes.get(i);
				bytes.put(i, bytes.get(j));
				bytes.put(j, swap);
			}
		}
	}

	/**
	 * Returns the datatype of an ONNX Runtime element type, or {@code null} if it is not supported.
	 * @param onnxTypeName the name of an {@code ai.onnxruntime.OnnxJavaType} constant, such as {@code FLOAT}
	 */
	public static @Nullable TensorDatatype ofOnnxTypeName(String onnxTypeName) {
		for (TensorDatatype datatype : VALUES) {
			if (datatype.onnxTypeName.equals(onnxTypeName)) {
				return datatype;
			}
		}
		return null;
	}

	/**
	 * Returns the datatype with the given V2 name.
	 * @param name a name such as {@code FP32}
	 * @return the datatype
	 * @throws IllegalArgumentException naming the supported datatypes, if none has that name
	 */
	public static TensorDatatype fromName(String name) {
		for (TensorDatatype datatype : VALUES) {
			if (datatype.name().equals(name)) {
				return datatype;
			}
		}
		String supported = Arrays.stream(VALUES).map(Enum::name).collect(Collectors.joining(", "));
		if (name.equals("BYTES")) {
			throw new IllegalArgumentException("Unsupported datatype 'BYTES': string tensors are not supported yet; "
					+ "supported datatypes are " + supported);
		}
		throw new IllegalArgumentException("Unsupported datatype '" + name + "'; supported datatypes are " + supported);
	}

	/**
	 * A duplicate in native order: {@code duplicate()} and {@code slice()} reset the order to big-endian, and the
	 * typed views of a byte buffer take its order.
	 */
	private static ByteBuffer nativeOrder(ByteBuffer bytes) {
		return bytes.duplicate().order(ByteOrder.nativeOrder());
	}

}
