package io.github.modelregistry.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OperationsTests {

	@Test
	void aChunkCompiledLittleWhenTheJitTookAtMostOneTwentiethOfItsCpu() {
		assertThat(Operations.compiledLittle(5, 100)).isTrue();
		assertThat(Operations.compiledLittle(6, 100)).isFalse();
		assertThat(Operations.compiledLittle(0, 0)).isTrue();
		assertThat(Operations.compiledLittle(88, 156)).isFalse();
	}

}
