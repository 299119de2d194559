package dev.fairshare.usage.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalStringsTest {
    @Test
    void equalStringsShareOneCopyAndAFullPoolStartsAgain() {
        CanonicalStrings pool = new CanonicalStrings(2, 5);
        String a = new String("model");
        assertThat(pool.of(a)).isSameAs(a);
        assertThat(pool.of(new String("model"))).isSameAs(a);
        String b = new String("usd");
        assertThat(pool.of(b)).isSameAs(b);
        assertThat(pool.size()).isEqualTo(2);
        // full: the pool starts again with the new string
        String c = new String("eur");
        assertThat(pool.of(c)).isSameAs(c);
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.of(new String("eur"))).isSameAs(c);
        assertThat(pool.of(new String("model"))).isNotSameAs(a).isEqualTo("model");
        assertThat(pool.size()).isEqualTo(2);
        // too long to keep
        String longer = new String("longer");
        assertThat(pool.of(longer)).isSameAs(longer);
        assertThat(pool.of(null)).isNull();
        assertThat(pool.size()).isEqualTo(2);
    }
}
