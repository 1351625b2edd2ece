package io.github.modelregistry.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSignature;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;

/**
 * One version of a model served through a {@link Pipeline}: its stages and its runtime model, as one
 * {@link InferenceModel} that the registry holds, protects, batches, observes and swaps like any other.
 * <p>
 * Signature. Its inputs are what the stages and the runtime read that no step before them produces (for a text
 * pipeline, {@code text}); its outputs are the last post-stage's, or the runtime's when there is none. Every step's
 * inputs are checked when the version loads: a tensor a step reads must be given by the caller or produced before
 * it, with a datatype the step takes, so a pipeline that does not fit fails its load and the version serving keeps
 * serving.
 * <p>
 * A run: the caller's tensors, checked against the signature, go into a map by name; each pre-stage reads its
 * inputs from the map and adds its outputs; the runtime runs on its inputs from the map; the post-stages follow in
 * turn; the outputs asked for are taken from the map. Costs: one map and one list per step and request; tensors
 * pass by reference. Rows stay rows: a batch of requests merged along the first dimension runs through every step
 * as one, which is how text requests of different lengths share a run (a tokenizer pads the batch). With length
 * grouping (the default when the runtime reads an {@code attention_mask}), the runtime and the post-stages run once
 * per group of rows of similar length, each group cut to its own longest row ({@link LengthGroups}), and the
 * answers are put back in row order; only outputs whose dimensions after the first are fixed can be, so a pipeline
 * with another output runs whole.
 */
public final class PipelineModel extends ForwardingInferenceModel {

	/** What Triton's model metadata calls a model made of steps */
	public static final String PLATFORM = "ensemble";

	private final List<Step> before;

	private final List<Step> after;

	private final TensorSignature signature;

	private final @Nullable Grouping grouping;

	PipelineModel(InferenceModel model, List<Step> before, List<Step> after, @Nullable Grouping grouping) {
		super(model);
		this.before = List.copyOf(before);
		this.after = List.copyOf(after);
		this.signature = signature(model, this.before, this.after);
		// Rows regrouped must come back together: only outputs whose every dimension but the first is fixed
		boolean fixed = this.signature.outputs().stream().allMatch((spec) -> {
			long[] shape = spec.shape();
			for (int d = 1; d < shape.length; d++) {
				if (shape[d] < 0) {
					return false;
				}
			}
			return true;
		});
		this.grouping = fixed ? grouping : null;
	}

	/** One stage, under its name */
	record Step(String name, PipelineStage stage) {
	}

	/**
	 * Runs rows of similar length together ({@link LengthGroups}).
	 * @param mask the tensor whose rows' last non-zero entry gives their length
	 * @param tolerance how much longer than the shortest row of its group a row may be, as a share
	 */
	record Grouping(String mask, double tolerance) {
	}

	private static TensorSignature signature(InferenceModel model, List<Step> before, List<Step> after) {
		Map<String, TensorSpec> available = new LinkedHashMap<>();
		Map<String, TensorSpec> callers = new LinkedHashMap<>();
		for (Step step : before) {
			read(model, "stage '" + step.name() + "'", step.stage().inputs(), available, callers);
			step.stage().outputs().forEach((spec) -> available.put(spec.name(), spec));
		}
		read(model, "the model's runtime", model.inputs(), available, callers);
		model.outputs().forEach((spec) -> available.put(spec.name(), spec));
		for (Step step : after) {
			for (TensorSpec input : step.stage().inputs()) {
				if (!available.containsKey(input.name())) {
					throw new IllegalStateException("Stage '" + step.name() + "' of model '" + model.name()
							+ "''s pipeline reads '" + input.name() + "', which no step before it produces; they "
							+ "produce " + available.keySet());
				}
			}
			read(model, "stage '" + step.name() + "'", step.stage().inputs(), available, callers);
			step.stage().outputs().forEach((spec) -> available.put(spec.name(), spec));
		}
		List<TensorSpec> outputs = after.isEmpty() ? model.outputs() : after.get(after.size() - 1).stage().outputs();
		return new TensorSignature(model.name(), callers.values(), outputs);
	}

	/**
	 * Checks a step's inputs against what is produced before it; the ones nothing produces are the caller's.
	 */
	private static void read(InferenceModel model, String step, List<TensorSpec> inputs,
			Map<String, TensorSpec> available, Map<String, TensorSpec> callers) {
		for (TensorSpec input : inputs) {
			TensorSpec produced = available.get(input.name());
			if (produced == null) {
				TensorSpec caller = callers.putIfAbsent(input.name(), input);
				if (caller != null && caller.datatype() != input.datatype()) {
					throw new IllegalStateException(step + " of model '" + model.name() + "''s pipeline reads '"
							+ input.name() + "' as " + input.datatype() + " but a step before it reads it as "
							+ caller.datatype());
				}
			}
			else if (produced.datatype() != input.datatype()) {
				throw new IllegalStateException(step + " of model '" + model.name() + "''s pipeline reads '"
						+ input.name() + "' as " + input.datatype() + " but it is produced as " + produced.datatype());
			}
		}
	}

	@Override
	public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
		Set<String> asked = this.signature.validate(inputs, outputs);
		Map<String, Tensor> tensors = new HashMap<>();
		for (Tensor input : inputs) {
			tensors.put(input.name(), input);
		}
		for (Step step : this.before) {
			run(step, tensors);
		}
		Grouping grouping = this.grouping;
		Tensor mask = (grouping != null) ? tensors.get(grouping.mask()) : null;
		if (grouping != null && mask != null && mask.shape().length == 2 && mask.shape()[0] > 1
				&& mask.datatype() == TensorDatatype.INT64) {
			int rows = Math.toIntExact(mask.shape()[0]);
			int tokens = Math.toIntExact(mask.shape()[1]);
			List<LengthGroups.Group> groups = LengthGroups.group(LengthGroups.lengths(mask), grouping.tolerance());
			if (groups.size() > 1 || groups.get(0).length() < tokens) {
				List<Map<String, Tensor>> answers = new ArrayList<>(groups.size());
				for (LengthGroups.Group group : groups) {
					Map<String, Tensor> own = new HashMap<>();
					tensors.forEach((name, tensor) -> own.put(name, (tensor.shape().length > 0
							&& tensor.shape()[0] == rows) ? LengthGroups.rows(tensor, group, tokens) : tensor));
					runtimeAndAfter(own);
					answers.add(own);
				}
				List<Tensor> answer = new ArrayList<>(asked.size());
				for (String name : asked) {
					answer.add(LengthGroups.gather(name, groups, answers, rows));
				}
				return answer;
			}
		}
		runtimeAndAfter(tensors);
		List<Tensor> answer = new ArrayList<>(asked.size());
		for (String name : asked) {
			answer.add(tensors.get(name));
		}
		return answer;
	}

	/** The runtime, then the post-stages, on the tensors of the whole batch or of one group */
	private void runtimeAndAfter(Map<String, Tensor> tensors) {
		List<Tensor> modelInputs = new ArrayList<>(delegate().inputs().size());
		for (TensorSpec input : delegate().inputs()) {
			modelInputs.add(tensors.get(input.name()));
		}
		for (Tensor output : delegate().run(modelInputs, List.of())) {
			tensors.put(output.name(), output);
		}
		for (Step step : this.after) {
			run(step, tensors);
		}
	}

	private void run(Step step, Map<String, Tensor> tensors) {
		List<TensorSpec> specs = step.stage().inputs();
		Map<String, Tensor> inputs = new HashMap<>();
		for (TensorSpec spec : specs) {
			inputs.put(spec.name(), tensors.get(spec.name()));
		}
		List<Tensor> outputs = step.stage().run(inputs);
		List<TensorSpec> declared = step.stage().outputs();
		if (outputs.size() != declared.size()) {
			throw new IllegalStateException("Stage '" + step.name() + "' of model '" + name() + "' returned "
					+ outputs.size() + " tensors but declares " + declared.size());
		}
		for (int i = 0; i < outputs.size(); i++) {
			Tensor output = outputs.get(i);
			if (!output.name().equals(declared.get(i).name()) || output.datatype() != declared.get(i).datatype()) {
				throw new IllegalStateException("Stage '" + step.name() + "' of model '" + name() + "' returned "
						+ output + " where it declares " + declared.get(i));
			}
			tensors.put(output.name(), output);
		}
	}

	/**
	 * Returns the runtime model inside.
	 */
	public InferenceModel model() {
		return delegate();
	}

	/**
	 * Returns the stages' names before and after the runtime, for reports: {@code [tokenizer] → runtime →
	 * [pooling]}.
	 */
	public String describe() {
		return this.before.stream().map(Step::name).toList() + " -> " + delegate().platform() + " -> "
				+ this.after.stream().map(Step::name).toList();
	}

	@Override
	public String platform() {
		return PLATFORM;
	}

	@Override
	public List<TensorSpec> inputs() {
		return this.signature.inputs();
	}

	@Override
	public List<TensorSpec> outputs() {
		return this.signature.outputs();
	}

	@Override
	public long sizeBytes() {
		long size = delegate().sizeBytes();
		for (Step step : this.before) {
			size += step.stage().sizeBytes();
		}
		for (Step step : this.after) {
			size += step.stage().sizeBytes();
		}
		return size;
	}

	/**
	 * Closes the stages, then the runtime model; every one is closed even if another fails.
	 */
	@Override
	public void close() throws Exception {
		@Nullable Exception failure = null;
		List<Step> steps = new ArrayList<>(this.before);
		steps.addAll(this.after);
		for (Step step : steps) {
			try {
				step.stage().close();
			}
			catch (Exception ex) {
				failure = add(failure, ex);
			}
		}
		try {
			super.close();
		}
		catch (Exception ex) {
			failure = add(failure, ex);
		}
		if (failure != null) {
			throw failure;
		}
	}

	private static Exception add(@Nullable Exception failure, Exception next) {
		if (failure == null) {
			return next;
		}
		failure.addSuppressed(next);
		return failure;
	}

	@Override
	public String toString() {
		return "PipelineModel[" + name() + " v" + version() + " " + describe() + "]";
	}

}
