/**
 * The load tool: every end-to-end measurement of the project as a subcommand of one Java program ({@link Measure}).
 * It builds the applications under test from a commit or the working tree ({@link Builds}), starts them
 * ({@link App}), warms each up until its JIT is quiet and its throughput stable ({@link WarmUp}), drives load with wrk
 * or its own closed-loop driver ({@link Load}, {@link Wrk}, {@link Driver}), reads the application's CPU time per
 * thread group from {@code /proc} ({@link Cpu}), lets the variants take turns within rounds and reports medians with
 * their spread ({@link Report}).
 */
package io.github.modelregistry.measure;
