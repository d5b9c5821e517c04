package org.kernelci.batch.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernelci.batch.Problem;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

class ApperyResultsTest {
    static String render(Outcome... outcomes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonOutput json = new JsonOutput(bytes);
        ApperyResults.write(json, List.of(outcomes));
        json.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void positionalSuccessAndErrorWithApperysTimes() {
        List<Field> fields = List.of(Collections.BOOT.idField(), Collections.BOOT.field("board").orElseThrow(),
                Collections.BOOT.field("job_id").orElseThrow());
        Outcome.Document document = new Outcome.Document(fields,
                new Object[] {"58a59386975a4fa00e0ff513", "max updated", "58a59386975a4fa00e0ff514"});
        long at = 1_487_246_893_327L; // 2017-02-16 12:08:13.327 UTC, the seed's
        assertEquals("[{\"success\":{\"_id\":\"58a5962d0a975a799b278abd\",\"_createdAt\":\"2017-02-16 12:08:13.327\"}},"
                + "{\"success\":{\"_updatedAt\":\"2017-02-16 12:08:13.337\"}},"
                + "{\"success\":{}},"
                + "{\"success\":{\"_id\":{\"$oid\":\"58a59386975a4fa00e0ff513\"},\"board\":\"max updated\",\"job_id\":{\"$oid\":\"58a59386975a4fa00e0ff514\"}}},"
                + "{\"error\":{\"code\":\"DBSU205\",\"description\":\"Collection 'Labels' doesn't contain object with id 000000000000000000000000.\"}},"
                + "{\"error\":{\"code\":\"KCI424\",\"description\":\"Not applied\"}},"
                + "{\"success\":{\"result\":[{\"collection\":\"boot\",\"count\":5}]}}]",
                render(new Outcome.Created(List.of("58a5962d0a975a799b278abd"), at),
                        new Outcome.Updated(document, at + 10),
                        new Outcome.Deleted("58a59381975a4fa00e0ff512"),
                        document,
                        new Outcome.Missing("Labels", "000000000000000000000000"),
                        new Outcome.Failure(new Problem(Problem.Kind.NOT_APPLIED, "Not applied")),
                        new Outcome.Counts(List.of(new Outcome.Tally("boot", 5)))));
    }
}
