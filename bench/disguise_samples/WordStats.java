import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Word statistics of a text: counts, the longest words, and a simple wrap. */
public class WordStats {
    private final Map<String, Integer> counts = new TreeMap<>();
    private int total;

    public WordStats(String text) {
        String[] words = text.toLowerCase().split("[^a-z']+");
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            counts.merge(word, 1, Integer::sum);
            total++;
        }
    }

    public int distinct() {
        return counts.size();
    }

    public double averageLength() {
        if (total == 0) {
            return 0;
        }
        long letters = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            letters += (long) e.getKey().length() * e.getValue();
        }
        return (double) letters / total;
    }

    public List<String> mostFrequent(int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> b.getValue() - a.getValue());
        List<String> top = new ArrayList<>();
        int i = 0;
        while (i < n && i < entries.size()) {
            top.add(entries.get(i).getKey());
            i = i + 1;
        }
        return top;
    }

    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() + word.length() + 1 > width && line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
