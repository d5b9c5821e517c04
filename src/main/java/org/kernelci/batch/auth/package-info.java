/** API tokens: stored as hashes, checked on every request (CONTRACT.md section 5). */
package org.kernelci.batch.auth;
