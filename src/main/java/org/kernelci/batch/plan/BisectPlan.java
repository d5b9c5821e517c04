package org.kernelci.batch.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;

/**
 * A bisection asked for (CONTRACT.md section 12.4): of a failed build or boot, plain or compared
 * to another job, and the members of its document to write.
 *
 * @param start     {@link Collections#DEFCONFIG} or {@link Collections#BOOT}
 * @param id        the start's id, 24 lowercase hex digits
 * @param compareTo the job to compare to, if any
 * @param members   the document's members to write, in document order
 */
public record BisectPlan(Collection start, String id, Optional<String> compareTo, List<Member> members) {
    public BisectPlan {
        members = List.copyOf(members);
    }

    /** The members of a bisection's document, in the order it is written. */
    public enum Member {
        TYPE("type"), VERSION("version"), CREATED_ON("created_on"), JOB("job"), JOB_ID("job_id"), KERNEL("kernel"),
        ARCH("arch"), DEFCONFIG("defconfig"), DEFCONFIG_FULL("defconfig_full"), BUILD_ENVIRONMENT("build_environment"),
        COMPILER("compiler"), COMPILER_VERSION("compiler_version"), GIT_BRANCH("git_branch"), GIT_URL("git_url"),
        BUILD_ID("build_id"), BAD_COMMIT("bad_commit"), BAD_COMMIT_DATE("bad_commit_date"),
        BAD_COMMIT_URL("bad_commit_url"), GOOD_COMMIT("good_commit"), GOOD_COMMIT_DATE("good_commit_date"),
        GOOD_COMMIT_URL("good_commit_url"), COMPARE_TO("compare_to"), BISECT_DATA("bisect_data"), PLAN("plan"),
        PLAN_VARIANT("plan_variant"), GOOD_SUMMARY("good_summary"), BAD_SUMMARY("bad_summary"),
        FOUND_SUMMARY("found_summary"), LOG("log"), CHECKS("checks"),
        // A boot's bisection only.
        BOARD("board"), BOOT_ID("boot_id"), LAB_NAME("lab_name"), DEVICE_TYPE("device_type");

        private final String wireName;

        Member(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** The members of a bisection of a build ({@link Collections#DEFCONFIG}) or of a boot. */
        public static List<Member> of(Collection start) {
            return start == Collections.BOOT ? List.of(values())
                    : Arrays.stream(values()).filter(member -> member.compareTo(BOARD) < 0).toList();
        }

        /** The member of a bisection of {@code start} with this name. */
        public static Optional<Member> named(Collection start, String name) {
            return of(start).stream().filter(member -> member.wireName.equals(name)).findFirst();
        }
    }
}
