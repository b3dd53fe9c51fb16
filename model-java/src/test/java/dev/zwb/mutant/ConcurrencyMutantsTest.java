package dev.zwb.mutant;

import dev.zwb.kernel.Mutant;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the catalogue {@code concurrency-mutants.tsv} to the {@link Mutant} enum: every mutant
 * has exactly one named catcher, a {@code @Test} method without parameters; armed, the catcher
 * fails with an assertion; unarmed, it passes. The catcher runs on this thread, where
 * {@link Mutant#arm} makes every kernel it creates run the mutant.
 */
class ConcurrencyMutantsTest {

    /** One row: a mutant and the test method that must catch it. */
    record Row(Mutant mutant, Method catcher, String how) {
    }

    static Map<Mutant, Row> catalogue() throws IOException, ReflectiveOperationException {
        Map<Mutant, Row> rows = new LinkedHashMap<>();
        try (InputStream in = ConcurrencyMutantsTest.class.getResourceAsStream("/concurrency-mutants.tsv")) {
            assertNotNull(in, "concurrency-mutants.tsv is missing");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                assertEquals(4, f.length, "4 tab-separated columns: " + line);
                Mutant m = Mutant.parse(f[0]);
                String[] target = f[1].split("#");
                Method method = Class.forName("dev.zwb." + target[0]).getDeclaredMethod(target[1]);
                assertNotNull(method.getAnnotation(Test.class), f[1] + " is not a @Test");
                assertTrue(rows.put(m, new Row(m, method, f[3])) == null, m + " is listed twice");
            }
        }
        return rows;
    }

    @Test
    void everyMutantHasACatcher() throws Exception {
        Set<Mutant> listed = catalogue().keySet();
        assertEquals(EnumSet.allOf(Mutant.class), EnumSet.copyOf(listed));
    }

    @TestFactory
    List<DynamicTest> everyMutantIsCaughtAndTheTwinPassesTheSameCatcher() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : catalogue().values()) {
            String name = row.mutant() + " caught by " + row.catcher().getDeclaringClass().getSimpleName()
                    + "#" + row.catcher().getName();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Throwable unarmed = run(row.catcher(), null);
                if (unarmed != null) {
                    throw new AssertionError("the unmutated twin fails " + row.catcher().getName(), unarmed);
                }
                Throwable armed = run(row.catcher(), row.mutant());
                if (armed == null) {
                    fail(row.mutant() + " survived " + row.catcher().getName() + " (" + row.how() + ")");
                }
                assertTrue(armed instanceof AssertionError,
                        row.mutant() + " made the catcher crash instead of fail: " + armed);
            }));
        }
        return tests;
    }

    /** Runs {@code catcher} on a fresh instance with {@code m} armed; returns what it threw. */
    static Throwable run(Method catcher, Mutant m) throws ReflectiveOperationException {
        Constructor<?> c = catcher.getDeclaringClass().getDeclaredConstructor();
        c.setAccessible(true);
        catcher.setAccessible(true);
        Object instance = c.newInstance();
        Mutant.arm(m);
        try {
            catcher.invoke(instance);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } finally {
            Mutant.arm(null);
        }
    }
}
