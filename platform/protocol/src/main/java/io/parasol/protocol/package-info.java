/**
 * The wire format between the Parasol server and its worker processes. The worker writes
 * descriptors and verification reports and sends run events; the server reads them. Neither side
 * shares classes with a plugin beyond the plugin API.
 */
package io.parasol.protocol;
