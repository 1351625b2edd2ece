package io.github.modelregistry.test;

import java.util.List;

import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;

import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;

/**
 * Components of the {@link SliceApplication}: a slice includes the customiser and leaves the service out.
 */
final class ScannedComponents {

	private ScannedComponents() {
	}

	/** Adds a model in code, as an application's own customiser may. */
	@Component
	static class EchoModelCustomizer implements ModelRegistryCustomizer {

		@Override
		public void customize(io.github.modelregistry.registry.ModelRegistry.Builder builder) {
			StubModel.Spec echo = StubModel.spec("echo")
				.input("x", TensorDatatype.INT64, -1)
				.output("y", TensorDatatype.INT64, -1);
			builder.model(StubModel.of(echo, (inputs) -> List.of(Tensor.ofLongs("y", inputs.get("x").shape(),
					inputs.get("x").longs()))));
		}

	}

	/** A service the slice does not start. */
	@Service
	static class UnrelatedService {

	}

}
