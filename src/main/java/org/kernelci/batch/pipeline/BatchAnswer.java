package org.kernelci.batch.pipeline;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import org.kernelci.batch.execute.IdempotencyKeys;
import org.kernelci.batch.execute.Outcome;
import org.kernelci.batch.parse.BatchOperation;

/**
 * What the pipeline answers a batch, for the HTTP edge to send. Each holds what stays open while
 * it is written (the snapshot its rows stream from): close it once the response is written.
 */
public sealed interface BatchAnswer {
    Closeable open();

    /** Turns the answer into the edge's kind of response: each kind of answer calls its own method. */
    <R> R sendTo(Edge<R> edge);

    /** How the HTTP edge sends each kind of answer. */
    interface Edge<R> {
        R notModified(NotModified answer);

        R kept(Kept answer);

        R replayed(Replayed answer);

        R written(Written answer);
    }

    /** 304: the answer the client holds, by its tag, is current. */
    record NotModified(String tag, Closeable open) implements BatchAnswer {
        @Override
        public <R> R sendTo(Edge<R> edge) {
            return edge.notModified(this);
        }
    }

    /** The answer this batch made, kept with its Idempotency-Key: sent as kept. */
    record Kept(IdempotencyKeys.Answer answer, Closeable open) implements BatchAnswer {
        @Override
        public <R> R sendTo(Edge<R> edge) {
            return edge.kept(this);
        }
    }

    /** The answer an earlier request with the same Idempotency-Key made: sent again, saying so; nothing ran. */
    record Replayed(IdempotencyKeys.Answer answer) implements BatchAnswer {
        @Override
        public Closeable open() {
            return () -> { };
        }

        @Override
        public <R> R sendTo(Edge<R> edge) {
            return edge.replayed(this);
        }
    }

    /**
     * A 200 in the batch's dialect.
     *
     * @param failures how many entries failed
     * @param tag      its ETag, for a batch of reads whose change counts were read
     */
    record Written(Dialect dialect, List<BatchOperation> operations, List<Outcome> outcomes, int failures,
                   Optional<String> tag, Closeable open) implements BatchAnswer {
        @Override
        public <R> R sendTo(Edge<R> edge) {
            return edge.written(this);
        }

        /** Writes the body in the dialect's wire format. */
        public void write(OutputStream out) throws IOException {
            dialect.write(out, operations, outcomes);
        }
    }
}
