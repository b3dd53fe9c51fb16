package dev.zwb.stress;

import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckSettings;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails loudly when Lincheck is upgraded: the harness calls an internal entry point and relies
 * on facts about 3.7 ({@link LincheckRunner}). On a failure here, re-check whether the new
 * version has a public way to pass settings and the invocation timeout, then update
 * LincheckRunner and this test.
 */
class LincheckRunnerTest {

    @Test
    void theLincheckOnTheClasspathIsTheOneTheRunnerWasWrittenFor() {
        // the jar carries no version of its own; its Maven path does (.../lincheck/3.7/lincheck-3.7.jar)
        String jar = String.valueOf(Lincheck.class.getProtectionDomain().getCodeSource().getLocation());
        assertTrue(jar.endsWith("/lincheck-" + LincheckRunner.VERSION + ".jar"),
                "Lincheck is " + jar + ", LincheckRunner was written for " + LincheckRunner.VERSION
                        + ": re-check its internal call and the timeout (see LincheckRunner)");
    }

    @Test
    void theInternalEntryPointStillHasItsSignature() throws Exception {
        Method m = Lincheck.class.getMethod("runConcurrentTestInternal$lincheck", int.class,
                LincheckSettings.class, Runnable.class);
        assertNotNull(m);
    }

    @Test
    void theSettingsHaveNoTimeoutAndTheDefaultIsThirtySeconds() throws Exception {
        List<String> getters = Arrays.stream(LincheckSettings.class.getMethods())
                .map(Method::getName).filter(n -> n.startsWith("get") && !n.equals("getClass"))
                .sorted().toList();
        assertEquals(List.of("getAnalyzeStdLib", "getLoopBound", "getLoopIterationsBeforeThreadSwitch",
                "getRecursionBound"), getters, "LincheckSettings changed: does it take a timeout now?");
        Class<?> cfg = Class.forName("org.jetbrains.lincheck.datastructures.CTestConfiguration");
        assertEquals(30_000L, cfg.getField("DEFAULT_TIMEOUT_MS").getLong(null));
    }

    @Test
    void theTimeoutFailureIsStillTheClassTheRunnerLooksFor() throws Exception {
        Class<?> timeout = Class.forName("org.jetbrains.kotlinx.lincheck.strategy.TimeoutFailure");
        Class<?> failure = Class.forName("org.jetbrains.kotlinx.lincheck.strategy.LincheckFailure");
        assertTrue(failure.isAssignableFrom(timeout));
        assertNotNull(org.jetbrains.lincheck.LincheckAssertionError.class.getMethod("getFailure$lincheck"));
    }
}
