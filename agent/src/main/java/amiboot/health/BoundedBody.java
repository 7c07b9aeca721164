package amiboot.health;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body read up to {@code max} bytes, then no further: a health page, not a download. It is
 * read by the HTTP client's own threads, so the caller can bound the whole answer in time,
 * which a blocking read of an InputStream cannot be.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int max;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private Flow.Subscription subscription;

  BoundedBody(int max) {
    this.max = max;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      if (body.isDone()) {
        return;
      }
      byte[] chunk = new byte[Math.min(buffer.remaining(), max - bytes.size())];
      buffer.get(chunk);
      bytes.writeBytes(chunk);
      if (bytes.size() >= max) {
        subscription.cancel();
        body.complete(bytes.toByteArray());
      }
    }
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    body.complete(bytes.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }
}
