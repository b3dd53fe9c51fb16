package dev.zwb.conform;

import org.junit.jupiter.api.Test;

import static dev.zwb.conform.TlaValue.integer;
import static dev.zwb.conform.TlaValue.record;
import static dev.zwb.conform.TlaValue.set;
import static dev.zwb.conform.TlaValue.str;
import static dev.zwb.conform.TlaValue.tuple;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlaParserTest {

    @Test
    void readsWhatTlcPrintsInATrace() {
        TlaValue tbl = TlaParser.parse("<< [flags |-> {\"ZRAM_PP_SLOT\"}, ver |-> 1, handle |-> 0],"
                + " [flags |-> {}, ver |-> 1, handle |-> 0] >>");
        assertEquals(tuple(record("flags", set(str("ZRAM_PP_SLOT")), "ver", integer(1), "handle", integer(0)),
                record("flags", set(), "ver", integer(1), "handle", integer(0))), tbl);
        TlaValue disk = TlaParser.parse("(0 :> <<0, -1>> @@ 1 :> <<1, 1>> @@ 2 :> <<0, -1>>)");
        assertEquals(tuple(integer(1), integer(1)), ((TlaValue.Fn) disk).get(integer(1)));
        assertEquals(TlaValue.bool(false), ((TlaValue.Fn) TlaParser.parse(
                "[state |-> \"idle\", err |-> FALSE]")).field("err"));
    }

    @Test
    void equalityIsStructural() {
        // a tuple is a function on 1..n, a record a function on its field names
        assertEquals(TlaParser.parse("<<\"a\", \"b\">>"), TlaParser.parse("1 :> \"a\" @@ 2 :> \"b\""));
        assertEquals(TlaParser.parse("[x |-> 1]"), TlaParser.parse("(\"x\" :> 1)"));
        // sets ignore order and repetition, records their field order
        assertEquals(TlaParser.parse("{<<2, 2>>, <<1, 1>>, <<1, 1>>}"), TlaParser.parse("{<<1, 1>>, <<2, 2>>}"));
        assertEquals(TlaParser.parse("[a |-> 1, b |-> 2]"), TlaParser.parse("[b |-> 2, a |-> 1]"));
        assertNotEquals(TlaParser.parse("<<1, 2>>"), TlaParser.parse("<<2, 1>>"));
        assertNotEquals(TlaParser.parse("{1}"), TlaParser.parse("<<1>>"));
        assertNotEquals(TlaParser.parse("1"), TlaParser.parse("\"1\""));
    }

    @Test
    void printsWhatItReads() {
        for (String s : new String[] {"<<1, <<0, -1>>>>", "{\"a\", \"b\"}", "[err |-> FALSE, state |-> \"idle\"]",
                "(0 :> 1 @@ 2 :> 3)", "<<>>", "{}"}) {
            assertEquals(s, TlaParser.parse(s).toString());
        }
    }

    @Test
    void badInputNamesThePlace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlaParser.parse("[a |-> ]"));
        assertTrue(e.getMessage().contains("column 8"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlaParser.parse("<<1, 2"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.parse("1 2"));
        assertThrows(IllegalArgumentException.class, () -> TlaParser.parse("\"open"));
    }
}
