package amiboot.metadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The SDK's metadata client reads every answer as UTF-8 text, which would turn gzip-compressed
 * user-data into replacement characters. Between the SDK and the wire, this client hands the SDK
 * the user-data's bytes base64-encoded (text it passes through unchanged), and {@link #decode}
 * gives them back; every other answer goes through as it came.
 */
final class UserDataTransport implements SdkHttpClient {
  static final String PATH = "/latest/user-data";

  private final SdkHttpClient wire;

  UserDataTransport(SdkHttpClient wire) {
    this.wire = wire;
  }

  static RawUserData decode(String sdkText) {
    return new RawUserData(Base64.getDecoder().decode(sdkText));
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest call = wire.prepareRequest(request);
    boolean userData = request.httpRequest().method() == SdkHttpMethod.GET
        && request.httpRequest().encodedPath().endsWith(PATH);
    if (!userData) {
      return call;
    }
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        return base64Body(call.call());
      }

      @Override
      public void abort() {
        call.abort();
      }
    };
  }

  private HttpExecuteResponse base64Body(HttpExecuteResponse response) throws IOException {
    if (!response.httpResponse().isSuccessful() || response.responseBody().isEmpty()) {
      return response;
    }
    byte[] bytes;
    try (InputStream body = response.responseBody().get()) {
      // one byte past the bound, so that the parser says it is too large
      bytes = body.readNBytes(RawUserData.MAX_BYTES + 1);
    }
    byte[] text = Base64.getEncoder().encode(bytes);
    return HttpExecuteResponse.builder().response(response.httpResponse())
        .responseBody(bytes.length == 0 ? null : AbortableInputStream.create(new ByteArrayInputStream(text)))
        .build();
  }

  @Override
  public String clientName() {
    return wire.clientName();
  }

  @Override
  public void close() {
    wire.close();
  }
}
