package io.github.modelregistry.tensor;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: element type, shape and data in row-major order, held in a {@link Buffer} of the matching kind
 * ({@code FloatBuffer} for {@code FP32}, {@code ByteBuffer} for {@code BOOL}, {@code UINT8} and {@code INT8}, ...).
 * Immutable from the outside: accessors return copies or read-only views.
 */
public final class Tensor {

	private final String name;

	private final TensorDatatype datatype;

	private final long[] shape;

	private final Buffer data;

	private Tensor(String name, TensorDatatype datatype, long[] shape, Buffer data) {
		this.name = Objects.requireNonNull(name, "name");
		this.datatype = Objects.requireNonNull(datatype, "datatype");
		this.shape = shape.clone();
		this.data = data;
		long expected = elementCount(shape);
		if (data.remaining() != expected) {
			throw new IllegalArgumentException("Tensor '" + name + "' has shape " + Arrays.toString(shape) + " ("
					+ expected + " elements) but " + data.remaining() + " data elements");
		}
	}

	/**
	 * Creates a tensor over a buffer of the kind its datatype needs. The buffer's remaining elements are the data.
	 * @throws IllegalArgumentException if the buffer is of the wrong kind or its length does not match the shape
	 */
	public static Tensor of(String name, TensorDatatype datatype, long[] shape, Buffer data) {
		Class<? extends Buffer> expected = bufferType(datatype);
		if (!expected.isInstance(data)) {
			throw new IllegalArgumentException("Tensor '" + name + "' of datatype " + datatype + " needs a "
					+ expected.getSimpleName() + ", not a " + data.getClass().getSimpleName());
		}
		return new Tensor(name, datatype, shape, data);
	}

	public static Tensor ofFloats(String name, long[] shape, float... values) {
		return new Tensor(name, TensorDatatype.FP32, shape, FloatBuffer.wrap(values.clone()));
	}

	public static Tensor ofDoubles(String name, long[] shape, double... values) {
		return new Tensor(name, TensorDatatype.FP64, shape, DoubleBuffer.wrap(values.clone()));
	}

	public static Tensor ofInts(String name, long[] shape, int... values) {
		return new Tensor(name, TensorDatatype.INT32, shape, IntBuffer.wrap(values.clone()));
	}

	public static Tensor ofLongs(String name, long[] shape, long... values) {
		return new Tensor(name, TensorDatatype.INT64, shape, LongBuffer.wrap(values.clone()));
	}

	public static Tensor ofBooleans(String name, long[] shape, boolean... values) {
		ByteBuffer bytes = ByteBuffer.allocate(values.length);
		for (boolean value : values) {
			bytes.put((byte) (value ? 1 : 0));
		}
		return new Tensor(name, TensorDatatype.BOOL, shape, bytes.flip());
	}

	public String name() {
		return this.name;
	}

	public TensorDatatype datatype() {
		return this.datatype;
	}

	public long[] shape() {
		return this.shape.clone();
	}

	/**
	 * Returns the number of elements: the product of the shape's dimensions.
	 */
	public long elementCount() {
		return elementCount(this.shape);
	}

	/**
	 * Returns a read-only view of the data, positioned at its first element.
	 */
	public Buffer data() {
		Buffer data = this.data;
		if (data instanceof FloatBuffer floats) {
			return floats.asReadOnlyBuffer();
		}
		if (data instanceof DoubleBuffer doubles) {
			return doubles.asReadOnlyBuffer();
		}
		if (data instanceof IntBuffer ints) {
			return ints.asReadOnlyBuffer();
		}
		if (data instanceof LongBuffer longs) {
			return longs.asReadOnlyBuffer();
		}
		if (data instanceof ShortBuffer shorts) {
			return shorts.asReadOnlyBuffer();
		}
		return ((ByteBuffer) data).asReadOnlyBuffer();
	}

	public float[] floats() {
		FloatBuffer buffer = ((FloatBuffer) require(TensorDatatype.FP32)).duplicate();
		float[] values = new float[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	public double[] doubles() {
		DoubleBuffer buffer = ((DoubleBuffer) require(TensorDatatype.FP64)).duplicate();
		double[] values = new double[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	public int[] ints() {
		IntBuffer buffer = ((IntBuffer) require(TensorDatatype.INT32)).duplicate();
		int[] values = new int[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	public long[] longs() {
		LongBuffer buffer = ((LongBuffer) require(TensorDatatype.INT64)).duplicate();
		long[] values = new long[buffer.remaining()];
		buffer.get(values);
		return values;
	}

	public boolean[] booleans() {
		ByteBuffer buffer = ((ByteBuffer) require(TensorDatatype.BOOL)).duplicate();
		boolean[] values = new boolean[buffer.remaining()];
		for (int i = 0; i < values.length; i++) {
			values[i] = buffer.get() != 0;
		}
		return values;
	}

	/**
	 * Returns the data as doubles, whatever the numeric datatype (booleans as 0 and 1): handy for generic code.
	 */
	public double[] asDoubles() {
		Buffer data = this.data.duplicate();
		double[] values = new double[data.remaining()];
		for (int i = 0; i < values.length; i++) {
			values[i] = switch (this.datatype) {
				case FP32 -> ((FloatBuffer) data).get();
				case FP64 -> ((DoubleBuffer) data).get();
				case INT32 -> ((IntBuffer) data).get();
				case INT64 -> ((LongBuffer) data).get();
				case INT16 -> ((ShortBuffer) data).get();
				case UINT8 -> Byte.toUnsignedInt(((ByteBuffer) data).get());
				case INT8, BOOL -> ((ByteBuffer) data).get();
			};
		}
		return values;
	}

	public Buffer rawData() {
		return this.data.duplicate();
	}

	private Buffer require(TensorDatatype datatype) {
		if (this.datatype != datatype) {
			throw new IllegalStateException(
					"Tensor '" + this.name + "' holds " + this.datatype + ", not " + datatype);
		}
		return this.data;
	}

	static Class<? extends Buffer> bufferType(TensorDatatype datatype) {
		return switch (datatype) {
			case FP32 -> FloatBuffer.class;
			case FP64 -> DoubleBuffer.class;
			case INT32 -> IntBuffer.class;
			case INT64 -> LongBuffer.class;
			case INT16 -> ShortBuffer.class;
			case BOOL, UINT8, INT8 -> ByteBuffer.class;
		};
	}

	static long elementCount(long[] shape) {
		long count = 1;
		for (long dimension : shape) {
			if (dimension < 0) {
				throw new IllegalArgumentException("Shape " + Arrays.toString(shape) + " has a negative dimension");
			}
			count = Math.multiplyExact(count, dimension);
		}
		return count;
	}

	@Override
	public String toString() {
		return "Tensor[" + this.name + " " + this.datatype + Arrays.toString(this.shape) + "]";
	}

}
