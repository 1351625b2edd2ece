package io.github.modelregistry.test;

import org.springframework.boot.test.autoconfigure.TestSliceTestContextBootstrapper;

/**
 * Bootstraps a {@link ModelRegistryTest}: its {@code properties} are added to the environment.
 */
class ModelRegistryTestContextBootstrapper extends TestSliceTestContextBootstrapper<ModelRegistryTest> {

}
