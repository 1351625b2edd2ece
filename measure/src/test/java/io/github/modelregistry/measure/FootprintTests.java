package io.github.modelregistry.measure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FootprintTests {

	@Test
	void startupIsSpringBootsProcessTimeOrTheJobsFirstAnswer() {
		assertThat(Footprint.startupMillis("""
				... Started SampleApplication in 2.514 seconds (process running for 2.899)
				""")).isEqualTo(2899L);
		assertThat(Footprint.startupMillis("Ready: version 2 answered after 335 ms of process time\n")).isEqualTo(335L);
		assertThat(Footprint.startupMillis("Starting SampleApplication using Java 17\n")).isNull();
	}

	@Test
	void listeningCountsOnlyListenRowsOfTheProcesssInodes() {
		List<String> table = List.of(
				"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
				"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0",
				"   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0",
				"   2: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 111 1 0");
		assertThat(Footprint.listening(table, Set.of("111"))).isEqualTo(1);
		assertThat(Footprint.listening(table, Set.of("111", "222"))).isEqualTo(2);
		assertThat(Footprint.listening(table, Set.of())).isZero();
		assertThat(Footprint.listening(List.of(), Set.of("111"))).isZero();
	}

	@Test
	void listeningPortsOfThisProcessFollowItsServerSockets() throws IOException {
		long pid = ProcessHandle.current().pid();
		int before = Footprint.listeningPorts(pid);
		try (ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				ServerSocket second = new ServerSocket(0);
				Socket client = new Socket(InetAddress.getLoopbackAddress(), first.getLocalPort())) {
			// A connected socket is not a listening one
			assertThat(Footprint.listeningPorts(pid)).isEqualTo(before + 2);
		}
		assertThat(Footprint.listeningPorts(pid)).isEqualTo(before);
	}

	@Test
	void residentMemoryOfThisProcessIsRead() throws IOException {
		assertThat(Footprint.residentKb(ProcessHandle.current().pid())).isGreaterThan(1024);
	}

	@Test
	void eachLayoutGetsItsOwnDependencies() {
		assertThat(Footprint.dependencies("job", true)).contains("<artifactId>model-registry-core</artifactId>")
			.contains("<artifactId>model-registry-onnx</artifactId>")
			.doesNotContain("spring");
		assertThat(Footprint.dependencies("grpc-service", true))
			.contains("<artifactId>model-registry-spring-boot-starter-grpc</artifactId>");
		assertThat(Footprint.dependencies("job", false)).contains("<artifactId>model-registry-spring-boot</artifactId>")
			.contains("<artifactId>onnxruntime</artifactId>");
	}

}
