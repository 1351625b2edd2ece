package io.github.modelregistry.autoconfigure.web;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Conditions that match when an application relies on Spring Boot's default web security: the default chain that
 * Boot's own auto-configuration declared is there, rather than one of the application's (told apart by who
 * declared it, not by its name, which an application's chain often shares).
 */
public final class BootDefaultSecurity {

	private static final String SERVLET_MANAGEMENT = "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration";

	private static final String SERVLET_DEFAULT = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration$SecurityFilterChainConfiguration";

	private static final String REACTIVE_MANAGEMENT = "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration";

	private BootDefaultSecurity() {
	}

	/**
	 * In a servlet application: Boot's default {@code SecurityFilterChain}, Actuator's or the plain one.
	 */
	public static final class Servlet extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			boolean defaults = declaredBy(context, "managementSecurityFilterChain", SERVLET_MANAGEMENT)
					|| declaredBy(context, "defaultSecurityFilterChain", SERVLET_DEFAULT);
			return defaults ? ConditionOutcome.match("Spring Boot's default web security is in force")
					: ConditionOutcome.noMatch("The application declares its own web security, or none");
		}

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			return ConfigurationPhase.REGISTER_BEAN;
		}

	}

	/**
	 * In a reactive application: Actuator's default {@code SecurityWebFilterChain}.
	 */
	public static final class ReactiveActuator extends SpringBootCondition implements ConfigurationCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return declaredBy(context, "springSecurityFilterChain", REACTIVE_MANAGEMENT)
					? ConditionOutcome.match("Spring Boot's default Actuator web security is in force")
					: ConditionOutcome.noMatch("Actuator's default web security is not in force");
		}

		@Override
		public ConfigurationPhase getConfigurationPhase() {
			return ConfigurationPhase.REGISTER_BEAN;
		}

	}

	private static boolean declaredBy(ConditionContext context, String bean, String declaringClass) {
		ConfigurableListableBeanFactory beans = context.getBeanFactory();
		if (beans == null || !beans.containsBeanDefinition(bean)) {
			return false;
		}
		BeanDefinition definition = beans.getBeanDefinition(bean);
		return declaringClass.equals(definition.getFactoryBeanName());
	}

}
