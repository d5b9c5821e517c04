/** Wiring: the settings and the one class that builds the service from them. */
package org.kernelci.batch.app;
