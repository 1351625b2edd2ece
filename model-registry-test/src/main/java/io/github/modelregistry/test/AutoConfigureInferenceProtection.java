package io.github.modelregistry.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Adds the registry's Resilience4j protection (a bulkhead, a time limiter and a circuit breaker per model, configured
 * under {@code resilience4j.*.instances.<model>}) to a {@link ModelRegistryTest} or beside
 * {@link AutoConfigureModelRegistry}, for a test of how a service behaves when a model is overloaded, slow or failing.
 * A slice leaves the protection out unless asked, as Boot's tests leave tracing out unless a test asks for it with
 * {@code @AutoConfigureTracing}: Resilience4j's auto-configuration, its aspects included, would otherwise be most of
 * what a slice starts beyond Spring's own (about 0.2 s of a cold context's start, see docs/testing.md). What starts is listed in
 * {@code META-INF/spring/io.github.modelregistry.test.AutoConfigureInferenceProtection.imports}; nothing does when
 * Resilience4j is not on the class path.
 *
 * @see ModelRegistryTest
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureInferenceProtection {

}
