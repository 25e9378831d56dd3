import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
class WarmTest { @Test void answers() { assertEquals(42, warm.Warm.answer()); } }
