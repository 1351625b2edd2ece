package io.github.modelregistry.faceapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Nothing but the starters: the V2 REST face of the web stack {@code spring.main.web-application-type} picks, with
 * the starters' defaults, serving the models under {@code model-registry.base-path}. A measuring stick for the faces,
 * not an example.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class FaceApplication {

	public static void main(String[] args) {
		SpringApplication.run(FaceApplication.class, args);
	}

}
