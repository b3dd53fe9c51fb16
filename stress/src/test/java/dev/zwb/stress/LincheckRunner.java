package dev.zwb.stress;

import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.LincheckSettings;

/**
 * The one place that calls Lincheck's Kotlin-internal entry point. Lincheck 3.7's public
 * {@code runConcurrentTest(int, Runnable)} takes no settings, and its defaults (loop bound 50,
 * a forced switch every 10 loop iterations) take the pp-ctl's 65-bucket loops for livelocks;
 * {@code runConcurrentTestInternal} (JVM name with the {@code $lincheck} suffix) takes a
 * {@link LincheckSettings}: no analysis of the JDK's own code, a loop bound of 1000 and a switch
 * after 200 iterations.
 *
 * <p>Neither entry point sets the per-interleaving wall-clock timeout: both build a default
 * {@code ModelCheckingOptions}, whose invocation timeout is
 * {@code CTestConfiguration.DEFAULT_TIMEOUT_MS} (30 s), and {@code LincheckSettings} has no
 * field for it. So no verdict of the harness rests on that timeout: a task blocked for ever is
 * found by the model's wait graph ({@link Machine}) and reported as a WritebackReturns
 * violation, never as Lincheck's hang, and a run that hits the timeout is started again
 * ({@link #run}). {@code LincheckRunnerTest} fails on any other Lincheck
 * version, so that an upgrade re-checks all of this.
 */
final class LincheckRunner {

    /** The Lincheck version this class was written against. */
    static final String VERSION = "3.7";
    /** The settings described above. */
    static final LincheckSettings SETTINGS = new LincheckSettings(false, 200, 1000, 20);

    private LincheckRunner() {
    }

    /** How many times a run that ended in Lincheck's wall-clock timeout is started again. */
    static final int TIMEOUT_ATTEMPTS = 3;

    /**
     * Explores up to {@code invocations} interleavings of {@code block}. A run that ends in
     * Lincheck's wall-clock timeout ({@code TimeoutFailure}: one interleaving took longer than
     * 30 s) has found nothing about the model, only that the machine is slow: it is started
     * again, up to {@link #TIMEOUT_ATTEMPTS} times, each noted on stderr; then the run fails
     * saying so. Every other failure (an invariant, Lincheck's own scheduler-found deadlock or
     * livelock) is rethrown at once.
     */
    static void run(int invocations, Runnable block) {
        run(invocations, block, () -> { });
    }

    /** As {@link #run(int, Runnable)}, calling {@code beforeAttempt} before each attempt. */
    static void run(int invocations, Runnable block, Runnable beforeAttempt) {
        for (int attempt = 1; ; attempt++) {
            beforeAttempt.run();
            try {
                Lincheck.runConcurrentTestInternal$lincheck(invocations, SETTINGS, block);
                return;
            } catch (LincheckAssertionError e) {
                if (!wallClockTimeout(e)) {
                    throw e;
                }
                System.err.println("lincheck: attempt " + attempt + " ended in the 30 s wall-clock "
                        + "timeout (a slow machine, not a verdict)");
                if (attempt == TIMEOUT_ATTEMPTS) {
                    throw new AssertionError("no verdict: " + TIMEOUT_ATTEMPTS + " attempts each ended "
                            + "in Lincheck's 30 s per-interleaving wall-clock timeout; the machine is "
                            + "too slow for this scenario", e);
                }
            }
        }
    }

    /** Whether Lincheck's failure is its wall-clock timeout (an internal class, see above). */
    static boolean wallClockTimeout(LincheckAssertionError e) {
        return e.getFailure$lincheck().getClass().getSimpleName().equals("TimeoutFailure");
    }
}
