package io.github.modelregistry.test;

import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's own {@code @JsonTest} on this module's class path starts no registry: the registry's
 * auto-configuration belongs to {@link ModelRegistryTest} and {@link AutoConfigureModelRegistry}, not to other
 * slices. It is also the baseline {@code benchmarks/slice-startup.sh} compares the slice's start-up with.
 */
@JsonTest
class BootJsonSliceTests {

	@Autowired
	ApplicationContext context;

	@Test
	void startsNoModelRegistry() {
		assertThat(this.context.getBeanNamesForType(ModelRegistry.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(StubModel.class)).isEmpty();
	}

}
