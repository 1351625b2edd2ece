package io.github.modelregistry.pipeline;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;

/**
 * Rows of a padded batch grouped by their real length, so that a transformer runs each group trimmed to its own
 * longest row rather than the whole batch padded to the longest of all: Triton's ragged batching reaches the same
 * end by not padding at all, which ONNX Runtime's dense tensors cannot do.
 * <p>
 * Algorithm. A row's length is one past its last non-zero mask entry (tokenizers pad on the right). Rows are sorted by
 * length; a group takes rows in that order while the longest stays within {@code (1 + tolerance)} of the group's
 * shortest (at least one row more than that is never padded to), so no row is padded by more than that share. Each
 * group's tensors are the batch's rows in group order: tensors of the batch's rows and its padded length
 * ({@code [n, tokens, ...]}) cut to the group's longest row; tensors of its rows alone ({@code [n, ...]}) as they are.
 * The groups' answers are put back in the batch's row order. Costs: one sort of the row indices and one copy of
 * every row-aligned tensor per group; the runtime's work falls with the padding (its attention is quadratic in it).
 */
final class LengthGroups {

	private LengthGroups() {
	}

	/**
	 * The groups of a batch, each a list of row indices in ascending length, and the group's longest length.
	 */
	record Group(int[] rows, int length) {
	}

	/**
	 * Returns each row's real length: one past its last non-zero entry.
	 */
	static int[] lengths(Tensor mask) {
		long[] shape = mask.shape();
		int rows = Math.toIntExact(shape[0]);
		int columns = Math.toIntExact(shape[1]);
		LongBuffer values = (LongBuffer) mask.data();
		int[] lengths = new int[rows];
		for (int row = 0; row < rows; row++) {
			int length = 0;
			for (int column = columns - 1; column >= 0; column--) {
				if (values.get(row * columns + column) != 0) {
					length = column + 1;
					break;
				}
			}
			lengths[row] = length;
		}
		return lengths;
	}

	/**
	 * Groups rows so that none is padded past {@code (1 + tolerance)} times the shortest row of its group (or one
	 * more token).
	 */
	static List<Group> group(int[] lengths, double tolerance) {
		Integer[] order = new Integer[lengths.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Integer.compare(lengths[a], lengths[b]));
		List<Group> groups = new ArrayList<>();
		int start = 0;
		while (start < order.length) {
			int shortest = lengths[order[start]];
			double limit = Math.max(shortest + 1, shortest * (1 + tolerance));
			int end = start + 1;
			while (end < order.length && lengths[order[end]] <= limit) {
				end++;
			}
			int[] rows = new int[end - start];
			for (int i = start; i < end; i++) {
				rows[i - start] = order[i];
			}
			groups.add(new Group(rows, Math.max(1, lengths[order[end - 1]])));
			start = end;
		}
		return groups;
	}

	/**
	 * A tensor's rows of one group: cut to the group's length along the second dimension when the tensor is of the
	 * batch's padded length ({@code tokens}), taken whole otherwise.
	 */
	static Tensor rows(Tensor tensor, Group group, int tokens) {
		long[] shape = tensor.shape();
		TensorDatatype datatype = tensor.datatype();
		boolean cut = shape.length >= 2 && shape[1] == tokens;
		long perRow = elementsPerRow(shape);
		long kept = cut ? perRow / tokens * group.length() : perRow;
		ByteBuffer source = tensor.bytes();
		int[] starts = rowStarts(datatype, source, Math.toIntExact(shape[0]), perRow);
		int[] ends = new int[group.rows().length];
		int size = 0;
		for (int i = 0; i < ends.length; i++) {
			int start = starts[group.rows()[i]];
			// Arithmetic for fixed-size datatypes, a walk over the lengths for BYTES
			ends[i] = datatype.skip(source, start, kept);
			size = Math.addExact(size, ends[i] - start);
		}
		ByteBuffer target = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
		int at = 0;
		for (int i = 0; i < ends.length; i++) {
			int start = starts[group.rows()[i]];
			target.put(at, source, start, ends[i] - start);
			at += ends[i] - start;
		}
		long[] own = shape.clone();
		own[0] = group.rows().length;
		if (cut) {
			own[1] = group.length();
		}
		return Tensor.of(tensor.name(), datatype, own, target);
	}

	/**
	 * Puts the groups' answers back in the batch's row order: one tensor per name, the rows of every group in place.
	 * @param answers each group's tensors by name, in the order of {@code groups}
	 * @param rows the batch's rows
	 */
	static Tensor gather(String name, List<Group> groups, List<Map<String, Tensor>> answers, int rows) {
		Tensor first = answers.get(0).get(name);
		TensorDatatype datatype = first.datatype();
		long[] shape = first.shape();
		long perRow = elementsPerRow(shape);
		ByteBuffer[] byRow = new ByteBuffer[rows];
		int size = 0;
		for (int g = 0; g < groups.size(); g++) {
			Tensor own = answers.get(g).get(name);
			long[] ownShape = own.shape();
			if (!Arrays.equals(Arrays.copyOfRange(ownShape, 1, ownShape.length),
					Arrays.copyOfRange(shape, 1, shape.length))) {
				throw new IllegalStateException("Output '" + name + "' has shape " + Arrays.toString(ownShape)
						+ " for one group and " + Arrays.toString(shape) + " for another: its rows cannot be put "
						+ "back together");
			}
			ByteBuffer bytes = own.bytes();
			int[] rowsOfGroup = groups.get(g).rows();
			int[] starts = rowStarts(datatype, bytes, rowsOfGroup.length, perRow);
			for (int i = 0; i < rowsOfGroup.length; i++) {
				int end = datatype.skip(bytes, starts[i], perRow);
				byRow[rowsOfGroup[i]] = bytes.slice(starts[i], end - starts[i]);
				size = Math.addExact(size, end - starts[i]);
			}
		}
		ByteBuffer target = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
		int at = 0;
		for (ByteBuffer row : byRow) {
			target.put(at, row, 0, row.remaining());
			at += row.remaining();
		}
		long[] all = shape.clone();
		all[0] = rows;
		return Tensor.of(name, datatype, all, target);
	}

	private static long elementsPerRow(long[] shape) {
		long perRow = 1;
		for (int d = 1; d < shape.length; d++) {
			perRow *= shape[d];
		}
		return perRow;
	}

	/** Where each row starts in a tensor's bytes */
	private static int[] rowStarts(TensorDatatype datatype, ByteBuffer bytes, int rows, long perRow) {
		int[] starts = new int[rows];
		int at = 0;
		for (int row = 0; row < rows; row++) {
			starts[row] = at;
			at = datatype.skip(bytes, at, perRow);
		}
		return starts;
	}

}
