package footprint;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A service that serves its models over gRPC and nothing else.
 */
@SpringBootApplication
public class GrpcService {

	public static void main(String[] args) {
		SpringApplication.run(GrpcService.class, args);
	}

}
