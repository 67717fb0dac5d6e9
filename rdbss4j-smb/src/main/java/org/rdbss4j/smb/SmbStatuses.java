package org.rdbss4j.smb;

import com.hierynomus.mssmb2.SMB2Packet;
import com.hierynomus.mssmb2.SMBApiException;
import com.hierynomus.protocol.transport.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.rdbss4j.core.NtStatus;
import org.rdbss4j.core.RxException;

/**
 * Turns what smbj reports into NTSTATUS: a server's status passes through unchanged (also codes
 * {@link NtStatus} has no constant for), transport failures become CONNECTION_DISCONNECTED,
 * timeouts IO_TIMEOUT, and failures to reach a server CONNECTION_REFUSED or BAD_NETWORK_PATH.
 */
final class SmbStatuses {
  private SmbStatuses() {}

  /** The unsigned 32-bit value of a status, as smbj reports codes. */
  static long code(NtStatus status) {
    return status.code() & 0xFFFFFFFFL;
  }

  /** Whether a response carries an error (severity error or warning). */
  static boolean failed(SMB2Packet response) {
    return failed(response.getHeader().getStatusCode());
  }

  static boolean failed(long statusCode) {
    return (statusCode & 0x80000000L) != 0;
  }

  /** The status of a response as an exception, the server's code unchanged. */
  static RxException of(SMB2Packet response, String what) {
    return of(response.getHeader().getStatusCode(), what, null);
  }

  static RxException of(long statusCode, String what, Throwable cause) {
    return new RxException((int) statusCode, what, cause);
  }

  /** Fails with the response's status unless it is a success. */
  static <T extends SMB2Packet> T check(T response, String what) {
    if (failed(response)) {
      throw of(response, what);
    }
    return response;
  }

  /** An exception from smbj or the JDK during {@code what}, as an RxException. */
  static RxException toRx(Throwable t, String what) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RxException rx) {
        return rx;
      }
      if (c instanceof SMBApiException api) {
        return of(api.getStatusCode(), what + ": " + api.getStatus(), t);
      }
    }
    if (isTimeout(t)) {
      return new RxException(NtStatus.IO_TIMEOUT, what + ": the server did not answer in time", t);
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) {
        return new RxException(NtStatus.CONNECTION_REFUSED, what + ": " + c.getMessage(), t);
      }
      if (c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
        return new RxException(NtStatus.BAD_NETWORK_PATH, what + ": " + c.getMessage(), t);
      }
    }
    if (isTransportFailure(t)) {
      return new RxException(
          NtStatus.CONNECTION_DISCONNECTED, what + ": connection to the server lost", t);
    }
    return new RxException(NtStatus.UNSUCCESSFUL, what + ": " + t, t);
  }

  /** A timeout anywhere in the cause chain. */
  static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** A broken transport (socket error, end of stream) anywhere in the cause chain. */
  static boolean isTransportFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TransportException || c instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
