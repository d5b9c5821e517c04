package org.kernelci.batch.auth;

/**
 * The original's token permissions: each with its bit in the {@code properties} array the
 * original rendered, its column in the token table and its member in a token request.
 */
public enum Permission {
    ADMIN(0, "is_admin", "admin"),
    SUPERUSER(1, "is_superuser", "superuser"),
    GET(2, "can_get", "get"),
    POST(3, "can_post", "post"),
    DELETE(4, "can_delete", "delete"),
    IP_RESTRICTED(5, "ip_restricted", "ip_restricted"),
    CREATE_TOKEN(6, "create_token", "create_token"),
    LAB(7, "is_lab", "lab"),
    UPLOAD(8, "can_upload", "upload"),
    TEST_LAB(9, "is_test_lab", "test_lab");

    /** The length of the original's {@code properties} array. */
    public static final int PROPERTIES = 16;

    private final int bit;
    private final String column;
    private final String member;

    Permission(int bit, String column, String member) {
        this.bit = bit;
        this.column = column;
        this.member = member;
    }

    public int bit() {
        return bit;
    }

    public String column() {
        return column;
    }

    /** The member of a token request ({@code post_token.json}) that grants it. */
    public String member() {
        return member;
    }
}
