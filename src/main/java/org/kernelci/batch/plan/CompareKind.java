package org.kernelci.batch.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.kernelci.batch.schema.Collection;
import org.kernelci.batch.schema.Collections;
import org.kernelci.batch.schema.Field;

/**
 * What a comparison compares (CONTRACT.md section 12.5), and how its baseline and targets are
 * named: by an id member, or by the members that select the newest such document (a job: all its
 * builds).
 */
public enum CompareKind {
    /** Jobs, through their builds: {@code job_id}, or {@code job} and {@code kernel}. */
    JOB("job", Collections.JOB, Collections.DEFCONFIG, "job_id", "job_id", List.of("job", "kernel"), List.of()),
    /** Builds: {@code build_id}, or the build's job, kernel, defconfig and arch. */
    BUILD("build", Collections.DEFCONFIG, Collections.DEFCONFIG, "build_id", Collection.ID,
            List.of("job", "kernel", "defconfig_full", "arch"), List.of("defconfig", "build_environment")),
    /** Boots: {@code boot_id}, or the boot's job, kernel, defconfig, arch, board and lab. */
    BOOT("boot", Collections.BOOT, Collections.BOOT, "boot_id", Collection.ID,
            List.of("job", "kernel", "defconfig_full", "arch", "board", "lab_name"), List.of());

    private final String route;
    private final Collection servedUnder;
    private final Collection collection;
    private final String idMember;
    private final String idField;
    private final List<String> required;
    private final List<String> members;

    CompareKind(String route, Collection servedUnder, Collection collection, String idMember, String idField,
                List<String> required, List<String> optional) {
        this.route = route;
        this.servedUnder = servedUnder;
        this.collection = collection;
        this.idMember = idMember;
        this.idField = idField;
        this.required = required;
        List<String> all = new ArrayList<>();
        all.add(idMember);
        all.addAll(required);
        all.addAll(optional);
        this.members = List.copyOf(all);
    }

    /**
     * The kind compared under a collection's route ({@code /job/compare}, {@code /build/compare}
     * or {@code /defconfig/compare}, {@code /boot/compare}).
     */
    public static Optional<CompareKind> at(String path) {
        return Arrays.stream(values()).filter(kind -> kind.servedUnder.servedAt(path)).findFirst();
    }

    /** Its name among the kept requests: {@code job}, {@code build}, {@code boot}. */
    public String route() {
        return route;
    }

    /** The collection whose documents it reads: builds for jobs and builds, boots for boots. */
    public Collection collection() {
        return collection;
    }

    /** The member that names a document (or, for a job, its builds) by id. */
    String idMember() {
        return idMember;
    }

    /** The field {@link #idMember()} selects by: {@code _id}, or a build's {@code job_id}. */
    Field idField() {
        return collection.field(idField).orElseThrow();
    }

    /** The members that select when no id is given, all of them needed. */
    List<String> required() {
        return required;
    }

    /** Every member a baseline or target may have: the id, those needed without it, those that narrow. */
    List<String> members() {
        return members;
    }
}
