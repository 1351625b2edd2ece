package io.github.modelregistry.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.PropertyMapping;

/**
 * Starts the model registry in a test whose other auto-configuration is off, as {@link ModelRegistryTest} does, or
 * beside another slice: with {@code @WebFluxTest} it adds the V2 REST face over the registry, so that a controller
 * and the {@code /v2} routes are tested together against stub models. What starts is listed in
 * {@code META-INF/spring/io.github.modelregistry.test.AutoConfigureModelRegistry.imports}: the registry, the V2 web
 * face in a reactive web application, and {@link ModelRegistryTestAutoConfiguration}, which serves the context's
 * {@link StubModel} beans. The registry's Resilience4j protection is left out unless the test adds
 * {@link AutoConfigureInferenceProtection}.
 *
 * @see ModelRegistryTest
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureModelRegistry {

	/**
	 * The models configured under {@code model-registry.models.*} to serve as configured (from their folders,
	 * through their loader: ONNX Runtime's); {@code "*"} for all of them. Others are left out, so that a test of
	 * stub models needs no model file and no ONNX Runtime. A stub with the name of a configured model replaces it.
	 * @return the configured models to serve
	 */
	@PropertyMapping(ModelRegistryTestAutoConfiguration.MODELS_PROPERTY)
	String[] models() default {};

}
