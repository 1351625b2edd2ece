package io.github.modelregistry.pipeline;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PipelineStageFactory} makes a stage from.
 *
 * @param model the model's name
 * @param version the version loading
 * @param source where the version is: {@link #file(String)} reads the files beside its model file
 * @param modelInputs the inputs of the model's runtime, which stages before it produce
 * @param modelOutputs the outputs of the model's runtime, which stages after it read
 * @param options the pipeline's options ({@code max-length=256}), shared by its stages
 */
public record StageContext(String model, long version, ModelSource source, List<TensorSpec> modelInputs,
		List<TensorSpec> modelOutputs, Map<String, String> options) {

	public StageContext {
		Objects.requireNonNull(model, "model");
		Objects.requireNonNull(source, "source");
		modelInputs = List.copyOf(modelInputs);
		modelOutputs = List.copyOf(modelOutputs);
		options = Map.copyOf(options);
	}

	/**
	 * Returns a file of the version folder, beside the model file.
	 * @param name a plain file name, such as {@code tokenizer.json}
	 * @throws IOException if there is no such file, or it cannot be looked at
	 * @throws IllegalArgumentException if the name is not a plain file name
	 */
	public ModelSource.Content file(String name) throws IOException {
		ModelSource.Content file = this.source.sibling(name);
		if (file == null) {
			throw new java.io.FileNotFoundException("Model '" + this.model + "' version " + this.version + " has no "
					+ name + " beside " + this.source.description());
		}
		return file;
	}

	/**
	 * Returns an option, or {@code null} when it is not set.
	 */
	public @Nullable String option(String name) {
		return this.options.get(name);
	}

	/**
	 * Returns an option as a positive integer, or the default when it is not set.
	 * @throws IllegalArgumentException if it is set and is not a positive integer
	 */
	public int intOption(String name, int defaultValue) {
		String value = this.options.get(name);
		if (value == null) {
			return defaultValue;
		}
		try {
			int number = Integer.parseInt(value.trim());
			if (number > 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Said below
		}
		throw new IllegalArgumentException("Option '" + name + "' of model '" + this.model
				+ "''s pipeline must be a positive integer, not '" + value + "'");
	}

	/**
	 * Returns an option as a non-negative number, or the default when it is not set.
	 * @throws IllegalArgumentException if it is set and is not a non-negative number
	 */
	public double doubleOption(String name, double defaultValue) {
		String value = this.options.get(name);
		if (value == null) {
			return defaultValue;
		}
		try {
			double number = Double.parseDouble(value.trim());
			if (number >= 0) {
				return number;
			}
		}
		catch (NumberFormatException ex) {
			// Said below
		}
		throw new IllegalArgumentException("Option '" + name + "' of model '" + this.model
				+ "''s pipeline must be a non-negative number, not '" + value + "'");
	}

	/**
	 * Returns an option as a boolean, or the default when it is not set.
	 * @throws IllegalArgumentException if it is set and is neither {@code true} nor {@code false}
	 */
	public boolean booleanOption(String name, boolean defaultValue) {
		String value = this.options.get(name);
		if (value == null) {
			return defaultValue;
		}
		return switch (value.trim()) {
			case "true" -> true;
			case "false" -> false;
			default -> throw new IllegalArgumentException("Option '" + name + "' of model '" + this.model
					+ "''s pipeline must be true or false, not '" + value + "'");
		};
	}

}
