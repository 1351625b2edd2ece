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
import java.util.function.IntFunction;
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

	},

	/**
	 * Byte strings of any length: text as UTF-8, or any other bytes. Elements vary in size, so they are held as the
	 * binary tensor data extension sends them: each a 4-byte little-endian length, then that many bytes, one after
	 * the other, whatever the machine's byte order. {@link #bytes()} is 0; decoders fill them with
	 * {@link #elements}, encoders read them with {@link #writeAll}, and {@link #skip} walks them. ONNX Runtime holds
	 * them as {@code STRING} tensors.
	 */
	BYTES("STRING", 0, ByteBuffer.class) {

		@Override
		public double getDouble(ByteBuffer bytes, int index) {
			throw new IllegalStateException("BYTES elements are byte strings, not numbers");
		}

		@Override
		public void read(ByteBuffer bytes, int index, ElementSource source) {
			throw new UnsupportedOperationException("BYTES elements vary in size: fill them with elements(...)");
		}

		@Override
		public void write(ByteBuffer bytes, int index, ElementSink sink) {
			throw new UnsupportedOperationException("BYTES elements vary in size: read them with writeAll(...)");
		}

		@Override
		public boolean holds(long count, long size) {
			return size >= count * LENGTH_BYTES;
		}

		@Override
		public String takes(long count) {
			return "takes at least " + count * LENGTH_BYTES + " bytes (a 4-byte length per element)";
		}

		@Override
		public ByteBuffer zeros(int count) {
			// Each element an empty string: a length of 0 and nothing after it
			return ByteBuffer.allocate(Math.multiplyExact(count, LENGTH_BYTES)).order(ByteOrder.nativeOrder());
		}

		@Override
		public int skip(ByteBuffer bytes, int offset, long elements) {
			int at = offset;
			for (long i = 0; i < elements; i++) {
				at += LENGTH_BYTES + elementLength(bytes, at);
			}
			return at;
		}

		@Override
		void requireElements(String name, long[] shape, long elements, ByteBuffer bytes) {
			long found = 0;
			int at = 0;
			int end = bytes.limit();
			while (at < end) {
				if (end - at < LENGTH_BYTES) {
					throw new InvalidTensorException("Tensor '" + name + "' of datatype BYTES ends with " + (end - at)
							+ " bytes after element " + found + ", too few for an element's 4-byte length");
				}
				int length = littleEndianInt(bytes, at);
				if (length < 0 || length > end - at - LENGTH_BYTES) {
					throw new InvalidTensorException("Tensor '" + name + "' of datatype BYTES: element " + found
							+ " declares " + Integer.toUnsignedString(length) + " bytes but only " + (end - at - LENGTH_BYTES)
							+ " are left");
				}
				at += LENGTH_BYTES + length;
				found++;
			}
			if (found != elements) {
				throw new InvalidTensorException("Tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
						+ elements + " elements) but " + found + " BYTES elements");
			}
		}

		@Override
		public Elements elements(int count, IntFunction<ByteBuffer> allocator) {
			return new Strings(count);
		}

		@Override
		public void writeAll(ByteBuffer bytes, ElementSink sink) {
			int end = bytes.limit();
			for (int at = bytes.position(); at < end;) {
				int length = elementLength(bytes, at);
				sink.writeBytes(bytes.slice(at + LENGTH_BYTES, length));
				at += LENGTH_BYTES + length;
			}
		}

		@Override
		public void fromLittleEndian(ByteBuffer bytes, int length) {
			// Already the layout a tensor holds: the tensor checks the lengths when it is built
		}

		@Override
		public void toLittleEndian(ByteBuffer elements, byte[] out, int offset) {
			elements.get(elements.position(), out, offset, elements.remaining());
		}

	};

	/** The length before each element of {@link #BYTES} */
	public static final int LENGTH_BYTES = 4;

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
	 * Returns the size of one element in bytes; 0 for {@link #BYTES}, whose elements vary in size.
	 */
	public int bytes() {
		return this.bytes;
	}

	/**
	 * Returns whether {@code size} bytes of raw data can be {@code count} elements: exactly their size for the
	 * fixed-size datatypes, at least a length per element for {@link #BYTES} (whose lengths the tensor checks when it
	 * is built). What a decoder asks before it takes a buffer for raw data.
	 */
	public boolean holds(long count, long size) {
		return size == count * this.bytes;
	}

	/**
	 * Says, for a refusal, what raw data {@code count} elements take: {@code takes 40 bytes}.
	 */
	public String takes(long count) {
		return "takes " + count * this.bytes + " bytes";
	}

	/**
	 * Returns heap bytes holding {@code count} zero elements in native order: 0, {@code false}, or for
	 * {@link #BYTES} the empty string.
	 */
	public ByteBuffer zeros(int count) {
		return ByteBuffer.allocate(Math.multiplyExact(count, this.bytes)).order(ByteOrder.nativeOrder());
	}

	/**
	 * Returns the byte offset just after {@code elements} elements that start at byte {@code offset}: arithmetic for
	 * the fixed-size datatypes, a walk over the lengths for {@link #BYTES}.
	 * @param bytes the elements as a tensor holds them
	 */
	public int skip(ByteBuffer bytes, int offset, long elements) {
		return Math.toIntExact(offset + elements * this.bytes);
	}

	/**
	 * Checks that bytes, positioned at 0, hold exactly {@code elements} elements of this datatype.
	 * @throws IllegalArgumentException naming the tensor if they do not
	 */
	void requireElements(String name, long[] shape, long elements, ByteBuffer bytes) {
		// Divided rather than multiplied: no overflow, whatever the shape
		int length = bytes.remaining();
		if (length % this.bytes != 0 || length / this.bytes != elements) {
			// One-byte elements keep the message of typed buffers: for them bytes are elements
			throw new IllegalArgumentException((this.bytes == 1)
					? "Tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" + elements + " elements) but "
							+ length + " data elements"
					: "Tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" + elements + " " + name()
							+ " elements of " + this.bytes + " bytes) but " + length + " data bytes");
		}
	}

	/**
	 * Returns where a decoder puts the elements of one tensor as it reads them, one {@link ElementSource} element at
	 * a time: bytes for all {@code count} of them taken from {@code allocator} at once for the fixed-size
	 * datatypes; for {@link #BYTES}, heap bytes that grow with the strings (a decoder bounds them by its input).
	 * @param count how many elements the tensor holds
	 * @param allocator gives native-order bytes of a size, positioned at 0 (a pool's lease, or the heap)
	 */
	public Elements elements(int count, IntFunction<ByteBuffer> allocator) {
		long size = (long) count * this.bytes;
		if (size > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(count + " " + name() + " elements do not fit one buffer (2 GB)");
		}
		return new Fixed(this, allocator.apply((int) size));
	}

	/**
	 * Writes every element of a tensor's bytes to a sink, in order: one {@link #write} per element for the
	 * fixed-size datatypes, one {@link ElementSink#writeBytes} per string for {@link #BYTES}.
	 * @param bytes the elements as {@link Tensor#bytes()} returns them
	 */
	public void writeAll(ByteBuffer bytes, ElementSink sink) {
		int count = bytes.remaining() / this.bytes;
		ByteBuffer elements = (bytes.position() == 0) ? bytes : bytes.slice().order(ByteOrder.nativeOrder());
		for (int i = 0; i < count; i++) {
			write(elements, i, sink);
		}
	}

	/**
	 * The elements of one tensor as a decoder reads them: {@link #read} takes the next one from a source, and
	 * {@link #bytes()} gives them all once every one has been read.
	 */
	public abstract static sealed class Elements permits Fixed, Strings {

		int size;

		/**
		 * Reads the next element from a source.
		 */
		public abstract void read(ElementSource source);

		/**
		 * Returns how many elements have been read.
		 */
		public int size() {
			return this.size;
		}

		/**
		 * Returns the elements read, in native order, positioned at 0.
		 */
		public abstract ByteBuffer bytes();

	}

	/** Elements of a fixed size, written in place into bytes taken for all of them up front */
	static final class Fixed extends Elements {

		private final TensorDatatype datatype;

		private final ByteBuffer bytes;

		Fixed(TensorDatatype datatype, ByteBuffer bytes) {
			this.datatype = datatype;
			this.bytes = bytes;
		}

		@Override
		public void read(ElementSource source) {
			this.datatype.read(this.bytes, this.size, source);
			this.size++;
		}

		@Override
		public ByteBuffer bytes() {
			return this.bytes;
		}

	}

	/** Byte strings, appended with their lengths to heap bytes that double when full */
	static final class Strings extends Elements {

		private byte[] bytes;

		private int length;

		Strings(int count) {
			// An empty string per element to begin with; most hold more, and the array grows
			this.bytes = new byte[Math.max(64, Math.min(count, 4096) * (LENGTH_BYTES + 16))];
		}

		@Override
		public void read(ElementSource source) {
			byte[] element = source.nextBytes();
			int needed = this.length + LENGTH_BYTES + element.length;
			if (needed < 0) {
				throw new IllegalArgumentException("BYTES elements over 2 GB do not fit one buffer");
			}
			if (needed > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed,
						2L * this.bytes.length)));
			}
			ByteBuffer.wrap(this.bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(this.length, element.length);
			System.arraycopy(element, 0, this.bytes, this.length + LENGTH_BYTES, element.length);
			this.length = needed;
			this.size++;
		}

		@Override
		public ByteBuffer bytes() {
			return ByteBuffer.wrap(this.bytes, 0, this.length).slice().order(ByteOrder.nativeOrder());
		}

	}

	/** Four bytes at an offset as a little-endian int, whatever the buffer's order, which it leaves as it is */
	static int littleEndianInt(ByteBuffer bytes, int offset) {
		int value = bytes.getInt(offset);
		return (bytes.order() == ByteOrder.LITTLE_ENDIAN) ? value : Integer.reverseBytes(value);
	}

	/** The length of the {@link #BYTES} element at a byte offset */
	static int elementLength(ByteBuffer bytes, int offset) {
		int length = littleEndianInt(bytes, offset);
		if (length < 0) {
			throw new IllegalStateException("a BYTES element longer than 2 GB at byte " + offset);
		}
		return length;
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
