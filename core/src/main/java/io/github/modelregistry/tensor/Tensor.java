package io.github.modelregistry.tensor;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named tensor: element type, shape and data. Whatever the datatype, the data is one representation: bytes in
 * native byte order, row-major, {@code elementCount() * datatype().bytes()} of them, on the heap or in direct
 * memory; {@code BYTES} elements, which vary in size, each as a 4-byte little-endian length and that many bytes (the
 * layout of the binary tensor data extension). {@link TensorDatatype} knows how to read and write them;
 * {@link #data()} gives the typed view.
 * <p>
 * Immutable from the outside: accessors return copies or read-only views, except {@link #bytes()}, which a
 * runtime reads in place and which must not be written.
 */
public final class Tensor {

	private final String name;

	private final TensorDatatype datatype;

	private final long[] shape;

	/** Native order, position 0, limit and capacity the data's length; never moved, only read with absolute gets. */
	private final ByteBuffer bytes;

	private Tensor(String name, TensorDatatype datatype, long[] shape, ByteBuffer bytes) {
		this.name = name;
		this.datatype = datatype;
		this.shape = shape;
		this.bytes = bytes;
	}

	/**
	 * Creates a tensor over a buffer's remaining data, which is either
	 * <ul>
	 * <li>bytes in native byte order, {@code elementCount * datatype.bytes()} of them, for any datatype ({@code BYTES}:
	 * each element a 4-byte little-endian length then its bytes): used as they are, not copied (a direct buffer is
	 * what a runtime reads in place), so do not write them afterwards; or
	 * <li>a typed buffer of the datatype's {@link TensorDatatype#bufferType() kind} ({@code FloatBuffer} for
	 * {@code FP32}, ...), one element each: copied into bytes.
	 * </ul>
	 * For {@code BOOL}, {@code UINT8} and {@code INT8} the two are the same, and byte order does not matter.
	 * @throws IllegalArgumentException if the buffer is of the wrong kind, multi-byte elements are given as bytes
	 * that are not in native order, or its length does not match the shape
	 */
	public static Tensor of(String name, TensorDatatype datatype, long[] shape, Buffer data) {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(datatype, "datatype");
		long[] dimensions = shape.clone();
		long elements = elementCount(dimensions);
		int size = datatype.bytes();
		if (data instanceof ByteBuffer bytes) {
			// Order only matters, and is only checked, when an element spans more than one byte
			if (size > 1 && bytes.order() != ByteOrder.nativeOrder()) {
				throw new IllegalArgumentException("Tensor '" + name + "' of datatype " + datatype + " needs its bytes in "
						+ "native byte order (" + ByteOrder.nativeOrder() + "), not " + bytes.order()
						+ ": call order(ByteOrder.nativeOrder()) on the buffer before writing it");
			}
			ByteBuffer own = bytes.slice().order(ByteOrder.nativeOrder());
			datatype.requireElements(name, dimensions, elements, own);
			return new Tensor(name, datatype, dimensions, own);
		}
		if (!datatype.bufferType().isInstance(data)) {
			throw new IllegalArgumentException("Tensor '" + name + "' of datatype " + datatype + " needs a "
					+ datatype.bufferType().getSimpleName() + " or native-order bytes in a ByteBuffer, not a "
					+ data.getClass().getSimpleName());
		}
		if (data.remaining() != elements) {
			throw new IllegalArgumentException(mismatch(name, dimensions, elements, data.remaining()));
		}
		return new Tensor(name, datatype, dimensions, datatype.toBytes(data));
	}

	private static String mismatch(String name, long[] shape, long elements, int given) {
		return "Tensor '" + name + "' has shape " + Arrays.toString(shape) + " (" + elements + " elements) but " + given
				+ " data elements";
	}

	/**
	 * Creates an {@code FP32} tensor from a copy of the values.
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofFloats(String name, long[] shape, float... values) {
		return of(name, TensorDatatype.FP32, shape, FloatBuffer.wrap(values));
	}

	/**
	 * Creates an {@code FP64} tensor from a copy of the values.
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofDoubles(String name, long[] shape, double... values) {
		return of(name, TensorDatatype.FP64, shape, DoubleBuffer.wrap(values));
	}

	/**
	 * Creates an {@code INT32} tensor from a copy of the values.
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofInts(String name, long[] shape, int... values) {
		return of(name, TensorDatatype.INT32, shape, IntBuffer.wrap(values));
	}

	/**
	 * Creates an {@code INT64} tensor from a copy of the values.
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofLongs(String name, long[] shape, long... values) {
		return of(name, TensorDatatype.INT64, shape, LongBuffer.wrap(values));
	}

	/**
	 * Creates a {@code BOOL} tensor from the values, one byte each (0 or 1).
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofBooleans(String name, long[] shape, boolean... values) {
		ByteBuffer bytes = ByteBuffer.allocate(values.length);
		for (int i = 0; i < values.length; i++) {
			bytes.put(i, (byte) (values[i] ? 1 : 0));
		}
		return of(name, TensorDatatype.BOOL, shape, bytes);
	}

	/**
	 * Creates a {@code BYTES} tensor of byte strings from copies of the values.
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofBytes(String name, long[] shape, byte[]... values) {
		int length = 0;
		for (byte[] value : values) {
			length = Math.addExact(length, TensorDatatype.LENGTH_BYTES + value.length);
		}
		ByteBuffer bytes = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
		for (byte[] value : values) {
			bytes.putInt(value.length).put(value);
		}
		return of(name, TensorDatatype.BYTES, shape, bytes.flip().order(ByteOrder.nativeOrder()));
	}

	/**
	 * Creates a {@code BYTES} tensor of text, each value encoded as UTF-8.
	 * @throws IllegalArgumentException if the number of values does not match the shape
	 */
	public static Tensor ofStrings(String name, long[] shape, String... values) {
		byte[][] encoded = new byte[values.length][];
		for (int i = 0; i < values.length; i++) {
			encoded[i] = values[i].getBytes(StandardCharsets.UTF_8);
		}
		return ofBytes(name, shape, encoded);
	}

	/**
	 * Creates a {@code BYTES} tensor of shape {@code [length]} from text, each value encoded as UTF-8.
	 */
	public static Tensor of(String name, String[] values) {
		return ofStrings(name, new long[] { values.length }, values);
	}

	/**
	 * Creates an {@code FP32} tensor of shape {@code [rows, columns]} from a copy of the rows.
	 * @throws IllegalArgumentException if there is no row, or the rows are not all as long as the first
	 */
	public static Tensor of(String name, float[][] rows) {
		int columns = columns(name, rows.length, (rows.length > 0) ? rows[0].length : 0);
		FloatBuffer values = FloatBuffer.allocate(rows.length * columns);
		for (float[] row : rows) {
			requireLength(name, row.length, columns);
			values.put(row);
		}
		return of(name, TensorDatatype.FP32, new long[] { rows.length, columns }, values.flip());
	}

	/**
	 * Creates an {@code FP64} tensor of shape {@code [rows, columns]} from a copy of the rows.
	 * @throws IllegalArgumentException if there is no row, or the rows are not all as long as the first
	 */
	public static Tensor of(String name, double[][] rows) {
		int columns = columns(name, rows.length, (rows.length > 0) ? rows[0].length : 0);
		DoubleBuffer values = DoubleBuffer.allocate(rows.length * columns);
		for (double[] row : rows) {
			requireLength(name, row.length, columns);
			values.put(row);
		}
		return of(name, TensorDatatype.FP64, new long[] { rows.length, columns }, values.flip());
	}

	/**
	 * Creates an {@code INT32} tensor of shape {@code [rows, columns]} from a copy of the rows.
	 * @throws IllegalArgumentException if there is no row, or the rows are not all as long as the first
	 */
	public static Tensor of(String name, int[][] rows) {
		int columns = columns(name, rows.length, (rows.length > 0) ? rows[0].length : 0);
		IntBuffer values = IntBuffer.allocate(rows.length * columns);
		for (int[] row : rows) {
			requireLength(name, row.length, columns);
			values.put(row);
		}
		return of(name, TensorDatatype.INT32, new long[] { rows.length, columns }, values.flip());
	}

	/**
	 * Creates an {@code INT64} tensor of shape {@code [rows, columns]} from a copy of the rows.
	 * @throws IllegalArgumentException if there is no row, or the rows are not all as long as the first
	 */
	public static Tensor of(String name, long[][] rows) {
		int columns = columns(name, rows.length, (rows.length > 0) ? rows[0].length : 0);
		LongBuffer values = LongBuffer.allocate(rows.length * columns);
		for (long[] row : rows) {
			requireLength(name, row.length, columns);
			values.put(row);
		}
		return of(name, TensorDatatype.INT64, new long[] { rows.length, columns }, values.flip());
	}

	/**
	 * Creates an {@code FP32} tensor of shape {@code [length]} from a copy of the values.
	 */
	public static Tensor of(String name, float[] values) {
		return ofFloats(name, new long[] { values.length }, values);
	}

	/**
	 * Creates an {@code INT64} tensor of shape {@code [length]} from a copy of the values.
	 */
	public static Tensor of(String name, long[] values) {
		return ofLongs(name, new long[] { values.length }, values);
	}

	private static int columns(String name, int rows, int columns) {
		if (rows == 0) {
			throw new IllegalArgumentException("Tensor '" + name + "' has no rows: give at least one");
		}
		return columns;
	}

	private static void requireLength(String name, int length, int columns) {
		if (length != columns) {
			throw new IllegalArgumentException("Tensor '" + name + "' has rows of " + columns + " and of " + length
					+ " values: every row must be as long as the first");
		}
	}

	/**
	 * Returns the input or output name.
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the element type.
	 */
	public TensorDatatype datatype() {
		return this.datatype;
	}

	/**
	 * Returns a copy of the dimensions.
	 */
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
	 * Returns the data: a duplicate of the bytes, in native byte order, positioned at 0 with the data's length
	 * remaining; direct if the tensor was created over direct bytes. Not a read-only view, because it is what a
	 * runtime hands to native code: it shares the tensor's memory and must not be written.
	 */
	public ByteBuffer bytes() {
		return this.bytes.duplicate().order(ByteOrder.nativeOrder());
	}

	/**
	 * Returns a read-only view of the data as a buffer of the datatype's
	 * {@link TensorDatatype#bufferType() kind}, positioned at its first element.
	 */
	public Buffer data() {
		return this.datatype.view(this.bytes.asReadOnlyBuffer());
	}

	/**
	 * Returns a copy of the data of an {@code FP32} tensor.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public float[] floats() {
		FloatBuffer view = (FloatBuffer) view(TensorDatatype.FP32);
		float[] values = new float[view.remaining()];
		view.get(values);
		return values;
	}

	/**
	 * Returns a copy of the data of a rank-2 {@code FP32} tensor, one array per row: an output of shape
	 * {@code [n, 1]} gives {@code n} arrays of one score.
	 * @throws IllegalStateException if the tensor holds another datatype or is not of rank 2
	 */
	public float[][] floatRows() {
		if (this.shape.length != 2) {
			throw new IllegalStateException("Tensor '" + this.name + "' has shape " + Arrays.toString(this.shape)
					+ ": only a tensor of rank 2 has rows");
		}
		FloatBuffer view = (FloatBuffer) view(TensorDatatype.FP32);
		float[][] rows = new float[(int) this.shape[0]][(int) this.shape[1]];
		for (float[] row : rows) {
			view.get(row);
		}
		return rows;
	}

	/**
	 * Returns a copy of the data of an {@code FP64} tensor.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public double[] doubles() {
		DoubleBuffer view = (DoubleBuffer) view(TensorDatatype.FP64);
		double[] values = new double[view.remaining()];
		view.get(values);
		return values;
	}

	/**
	 * Returns a copy of the data of an {@code INT32} tensor.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public int[] ints() {
		IntBuffer view = (IntBuffer) view(TensorDatatype.INT32);
		int[] values = new int[view.remaining()];
		view.get(values);
		return values;
	}

	/**
	 * Returns a copy of the data of an {@code INT64} tensor.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public long[] longs() {
		LongBuffer view = (LongBuffer) view(TensorDatatype.INT64);
		long[] values = new long[view.remaining()];
		view.get(values);
		return values;
	}

	/**
	 * Returns the data of a {@code BOOL} tensor; any non-zero byte is {@code true}.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public boolean[] booleans() {
		ByteBuffer bytes = (ByteBuffer) view(TensorDatatype.BOOL);
		boolean[] values = new boolean[bytes.remaining()];
		for (int i = 0; i < values.length; i++) {
			values[i] = bytes.get(i) != 0;
		}
		return values;
	}

	/**
	 * Returns copies of the elements of a {@code BYTES} tensor, in row-major order.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public byte[][] byteStrings() {
		ByteBuffer bytes = (ByteBuffer) view(TensorDatatype.BYTES);
		byte[][] values = new byte[Math.toIntExact(elementCount())][];
		int at = 0;
		for (int i = 0; i < values.length; i++) {
			int length = TensorDatatype.elementLength(bytes, at);
			values[i] = new byte[length];
			bytes.get(at + TensorDatatype.LENGTH_BYTES, values[i]);
			at += TensorDatatype.LENGTH_BYTES + length;
		}
		return values;
	}

	/**
	 * Returns the elements of a {@code BYTES} tensor decoded as UTF-8, in row-major order; bytes that are not
	 * UTF-8 become U+FFFD, as {@link String#String(byte[], java.nio.charset.Charset)} decodes them.
	 * @throws IllegalStateException if the tensor holds another datatype
	 */
	public String[] strings() {
		byte[][] values = byteStrings();
		String[] strings = new String[values.length];
		for (int i = 0; i < values.length; i++) {
			strings[i] = new String(values[i], StandardCharsets.UTF_8);
		}
		return strings;
	}

	/**
	 * Returns the data as doubles, whatever the numeric datatype ({@code UINT8} as 0 to 255, booleans as 0 and 1):
	 * handy for generic code.
	 * @throws IllegalStateException if the tensor holds {@code BYTES}
	 */
	public double[] asDoubles() {
		if (this.datatype == TensorDatatype.BYTES) {
			throw new IllegalStateException("Tensor '" + this.name + "' holds BYTES, which are not numbers");
		}
		double[] values = new double[this.bytes.capacity() / this.datatype.bytes()];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.datatype.getDouble(this.bytes, i);
		}
		return values;
	}

	private Buffer view(TensorDatatype expected) {
		if (this.datatype != expected) {
			throw new IllegalStateException(
					"Tensor '" + this.name + "' holds " + this.datatype + ", not " + expected);
		}
		return this.datatype.view(this.bytes);
	}

	/**
	 * Returns the number of elements a shape of non-negative dimensions holds, or {@code Long.MAX_VALUE} when that
	 * does not fit a {@code long}: never overflows, so that a face can compare a declared shape with its element
	 * allowance before it takes a buffer.
	 */
	public static long countElements(long[] shape) {
		long count = 1;
		for (long dimension : shape) {
			if (count > 0 && dimension > Long.MAX_VALUE / count) {
				return Long.MAX_VALUE;
			}
			count *= dimension;
		}
		return count;
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
