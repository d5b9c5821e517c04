package org.kernelci.batch.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kernelci.batch.ApiException;

/** POST reports into documents, checked against the post_*.json schemas. */
class ReportReaderTest {
    private static final Instant NOW = Instant.parse("2015-01-01T10:00:00Z");
    private static final String BOOT = """
            {"version":"1.0","lab_name":"lab-a","job":"mainline","kernel":"v3.18","defconfig":"multi_v7_defconfig",
             "board":"panda","boot_result":"PASS","boot_time":12.3456,"boot_warnings":2,"boot_retries":1,
             "loadaddr":"0x80200000","email":"a@b","metadata":{"k":"v"},"unknown":1}""";

    private static List<StoredDocument> read(ReportForm form, String body) {
        return ReportReader.read(form, body.getBytes(StandardCharsets.UTF_8), NOW);
    }

    private static String reason(ReportForm form, String body) {
        ApiException failure = assertThrows(ApiException.class, () -> read(form, body));
        assertEquals(400, failure.status());
        return failure.reason();
    }

    @Test
    @DisplayName("boot: renamed members, boot_time in seconds to ms, defaults, name, new id and created_on")
    void boot() {
        StoredDocument boot = read(ReportForms.BOOT, BOOT).get(0);
        assertEquals("PASS", boot.get("status"));
        assertEquals(12346L, boot.get("time"));
        assertEquals(2, boot.get("warnings"));
        assertEquals(1, boot.get("retries"));
        assertEquals("0x80200000", boot.get("load_addr"));
        assertEquals("multi_v7_defconfig", boot.get("defconfig_full"));
        assertEquals("arm", boot.get("arch"));
        assertEquals(false, boot.get("fastboot"));
        assertEquals("{\"k\":\"v\"}", boot.get("metadata"));
        assertEquals("panda-mainline-v3.18-multi_v7_defconfig-arm", boot.get("name"));
        assertEquals(NOW.atOffset(ZoneOffset.UTC), boot.get("created_on"));
        assertTrue(boot.id().startsWith(Long.toHexString(NOW.getEpochSecond())), boot.id());
        assertEquals(null, boot.get("job_id"));
    }

    @Test
    @DisplayName("defconfig: build_result, build_errors, build_warnings; defconfig_full names the build")
    void defconfig() {
        StoredDocument build = read(ReportForms.DEFCONFIG, """
                {"job":"next","kernel":"next-20150101","defconfig":"multi_v7_defconfig","defconfig_full":"multi_v7_defconfig+kvm",
                 "arch":"arm","build_result":"FAIL","build_errors":3,"build_platform":["x86_64"],"cross_compile":"arm-"}""").get(0);
        assertEquals("FAIL", build.get("status"));
        assertEquals(3, build.get("errors"));
        assertEquals(0, build.get("warnings"));
        assertEquals(0.0, build.get("build_time"));
        assertEquals("[\"x86_64\"]", build.get("build_platform"));
        assertEquals("next-next-20150101-multi_v7_defconfig+kvm", build.get("name"));
        assertEquals("1.0", build.get("version"));
    }

    @Test
    @DisplayName("job: named <job>-<kernel>; an array gives one document per report, in order")
    void jobs() {
        List<StoredDocument> jobs = read(ReportForms.JOB, "[{\"job\":\"a\",\"kernel\":\"1\"},{\"job\":\"b\",\"kernel\":\"2\"}]");
        assertEquals(List.of("a-1", "b-2"), jobs.stream().map(job -> job.get("name")).toList());
        assertEquals(false, jobs.get(0).get("private"));
        assertEquals(null, jobs.get(0).get("status"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}                                                   | Invalid report: 'job' is required; 'kernel' is required",
            "{\"job\":1,\"kernel\":null}                          | Invalid report: 'job' must be a string; 'kernel' is required",
            "{\"job\":\"a\",\"kernel\":\"b\",\"version\":\"2.0\"} | Invalid report: 'version' must be one of 1.0",
            "{\"job\":\"a\\u0000\",\"kernel\":\"b\"}              | Invalid report: 'job' must not contain NUL characters",
            "[]                                                   | Invalid report: expected an object or a non-empty array of objects",
            "\"job\"                                              | Invalid report: expected an object",
            "[{\"job\":\"a\",\"kernel\":\"b\"},3,{\"job\":\"a\"}] | Invalid report: [1] expected an object; [2] 'kernel' is required",
    })
    @DisplayName("job reports: every problem listed")
    void invalidJobs(String body, String reason) {
        assertEquals(reason, reason(ReportForms.JOB, body));
    }

    @Test
    @DisplayName("boot reports: missing required members, wrong types and values outside the enums, all listed")
    void invalidBoot() {
        assertEquals("Invalid report: 'version' is required; 'lab_name' is required; 'kernel' is required; "
                        + "'defconfig' is required; 'board' is required; 'arch' must be one of arm, arm64, x86, mips; "
                        + "'boot_retries' must be an integer; 'boot_result' must be one of FAIL, OFFLINE, PASS, UNTRIED; "
                        + "'boot_time' must be a number; 'boot_warnings' must be an integer; 'fastboot' must be a boolean; "
                        + "'metadata' must be an object",
                reason(ReportForms.BOOT, """
                        {"job":"mainline","arch":"sparc","boot_retries":1.5,"boot_result":"pass","boot_time":"12",
                         "boot_warnings":"many","fastboot":"false","metadata":[1]}"""));
        assertEquals("Invalid report: 'boot_time' must be a number of seconds from 0 to 1e12",
                reason(ReportForms.BOOT, BOOT.replace("12.3456", "-1")));
    }

    @Test
    @DisplayName("text that is not JSON is a 422")
    void notJson() {
        ApiException failure = assertThrows(ApiException.class, () -> read(ReportForms.JOB, "{\"job\":"));
        assertEquals(422, failure.status());
    }

    @Test
    @DisplayName("integers written with a zero fraction are integers")
    void integralNumbers() {
        assertEquals(3, read(ReportForms.BOOT, BOOT.replace("\"boot_warnings\":2", "\"boot_warnings\":3.0")).get(0).get("warnings"));
    }
}
