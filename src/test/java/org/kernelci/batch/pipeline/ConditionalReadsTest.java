package org.kernelci.batch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.Problem;
import org.kernelci.batch.auth.Permission;
import org.kernelci.batch.auth.Token;
import org.kernelci.batch.execute.Outcome;

/** §9: which answers carry a tag, and when If-None-Match names it. */
class ConditionalReadsTest {
    private static MessageDigest asked() {
        Token reader = new Token("t", null, null, null, null, false, List.of(), Set.of(Permission.GET));
        return EntityTags.asked(reader, "POST /batch?", List.of());
    }

    @Test
    @DisplayName("an answer's tag is made of what was asked and the change counts of its snapshot")
    void tagged() {
        Optional<String> tag = ConditionalReads.tag(asked(), Optional.of(Map.of("boot", 3L)), List.of());
        assertEquals(Optional.of(EntityTags.of(asked(), Map.of("boot", 3L))), tag);
        assertTrue(tag.get().startsWith("W/\""));
        assertFalse(tag.equals(ConditionalReads.tag(asked(), Optional.of(Map.of("boot", 4L)), List.of())),
                "a committed write changes the tag");
    }

    @Test
    @DisplayName("no tag without change counts, nor on a failure of the service (5xx): not an answer to keep")
    void untagged() {
        assertEquals(Optional.empty(), ConditionalReads.tag(asked(), Optional.empty(), List.of()));
        assertEquals(Optional.empty(), ConditionalReads.tag(asked(), Optional.of(Map.of()),
                List.of(new Outcome.Failure(new Problem(Problem.Kind.BUSY, "busy")))));
        assertTrue(ConditionalReads.tag(asked(), Optional.of(Map.of()), List.of(new Outcome.Failure(Problem.missing("x"))))
                .isPresent(), "a client's failure is part of the answer");
    }

    @Test
    @DisplayName("If-None-Match names a tag weakly, in a list, or as *")
    void ifNoneMatch() {
        String tag = EntityTags.of(asked(), Map.of());
        String opaque = tag.substring(2);
        assertTrue(ConditionalReads.notModified(tag, tag));
        assertTrue(ConditionalReads.notModified(opaque, tag));
        assertTrue(ConditionalReads.notModified("\"other\", " + opaque, tag));
        assertTrue(ConditionalReads.notModified("*", tag));
        assertFalse(ConditionalReads.notModified(null, tag));
        assertFalse(ConditionalReads.notModified("W/\"other\"", tag));
    }
}
