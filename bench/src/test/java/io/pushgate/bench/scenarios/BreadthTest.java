package io.pushgate.bench.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BreadthTest {

    @Test
    void every_topic_gets_the_same_number_of_subscribers_and_no_connection_repeats_one() {
        int topics = 10_000;
        int[] counts = new int[topics];
        for (int c = 0; c < 5_000; c++) {
            int[] t = Breadth.topicsOf(c, 10, topics);
            Set<Integer> distinct = new HashSet<>();
            for (int x : t) {
                counts[x]++;
                distinct.add(x);
            }
            assertThat(distinct).hasSize(10);
        }
        for (int n : counts) {
            assertThat(n).isEqualTo(5);
        }
    }
}
