package io.github.modelregistry.measure;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CpuTests {

	@Test
	void parseCountsFieldsFromTheLastParenthesisSoThatNamesMayHoldSpacesAndParentheses() {
		// A real line's shape: utime 1234 (field 14) and stime 56 (field 15)
		String stat = "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194368 10 0 0 0 1234 56 0 0 20 0 30 0 100 0 0";
		assertThat(Cpu.parse(stat)).isEqualTo(new Cpu.Ticks("jit", 1290));
		String odd = "7 (a (b) c) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 0 0";
		assertThat(Cpu.parse(odd)).isEqualTo(new Cpu.Ticks("other", 7));
	}

	@Test
	void parseRefusesWhatIsNotAStatLine() {
		assertThatIllegalArgumentException().isThrownBy(() -> Cpu.parse("no parentheses here"));
	}

	@Test
	void threadsAreGroupedByName() {
		assertThat(Cpu.group("reactor-http-ep")).isEqualTo("http");
		assertThat(Cpu.group("http-nio-18080-")).isEqualTo("http");
		assertThat(Cpu.group("grpc-default-wo")).isEqualTo("http");
		assertThat(Cpu.group("model-inference")).isEqualTo("inference");
		assertThat(Cpu.group("parallel-1")).isEqualTo("schedulers");
		assertThat(Cpu.group("boundedElastic-")).isEqualTo("schedulers");
		assertThat(Cpu.group("GC Thread#0")).isEqualTo("gc");
		assertThat(Cpu.group("G1 Conc#0")).isEqualTo("gc");
		assertThat(Cpu.group("C1 CompilerThre")).isEqualTo("jit");
		assertThat(Cpu.group("main")).isEqualTo("other");
	}

	@Test
	void sinceTakesDifferencesThreadByThreadAndCountsNewThreadsFromZero() {
		Cpu.Sample before = new Cpu.Sample(Map.of(1L, new Cpu.Ticks("http", 100), 2L, new Cpu.Ticks("jit", 50),
				3L, new Cpu.Ticks("gc", 9)));
		// Thread 3 ended; thread 4 started
		Cpu.Sample after = new Cpu.Sample(Map.of(1L, new Cpu.Ticks("http", 130), 2L, new Cpu.Ticks("jit", 50),
				4L, new Cpu.Ticks("http", 5)));
		Map<String, Long> spent = after.since(before);
		assertThat(spent).containsExactly(Map.entry("http", 35L), Map.entry("inference", 0L),
				Map.entry("schedulers", 0L), Map.entry("gc", 0L), Map.entry("jit", 0L), Map.entry("other", 0L));
	}

	@Test
	void aSampleOfThisProcessFindsItsThreadsAndItsJit() {
		long pid = ProcessHandle.current().pid();
		Cpu.Sample sample = Cpu.sample(pid);
		assertThat(sample.threads()).hasSizeGreaterThan(3);
		assertThat(sample.threads().values()).anyMatch((ticks) -> ticks.group().equals("jit"));
		// Burn some CPU on this thread: the difference must see it
		Map<String, Long> spent = burn().since(sample);
		assertThat(spent.values().stream().mapToLong(Long::longValue).sum()).isPositive();
	}

	private static Cpu.Sample burn() {
		long deadline = System.nanoTime() + 200_000_000L;
		double x = 0;
		while (System.nanoTime() < deadline) {
			x += Math.sqrt(x + 1);
		}
		assertThat(x).isPositive();
		return Cpu.sample(ProcessHandle.current().pid());
	}

}
