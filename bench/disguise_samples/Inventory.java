import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small inventory: items with quantities and prices, restocking and reports. */
public class Inventory {
    private final Map<String, Integer> quantities = new HashMap<>();
    private final Map<String, Double> prices = new HashMap<>();
    private int operations = 0;

    public void add(String name, int quantity, double price) {
        if (quantity <= 0) {
            throw new IllegalArgumentException("quantity must be positive");
        }
        int current = quantities.getOrDefault(name, 0);
        quantities.put(name, current + quantity);
        prices.put(name, price);
        operations++;
    }

    public boolean remove(String name, int quantity) {
        Integer current = quantities.get(name);
        if (current == null || current < quantity) {
            return false;
        }
        if (current == quantity) {
            quantities.remove(name);
        } else {
            quantities.put(name, current - quantity);
        }
        operations += 1;
        return true;
    }

    public double totalValue() {
        double total = 0;
        for (Map.Entry<String, Integer> entry : quantities.entrySet()) {
            total += entry.getValue() * prices.get(entry.getKey());
        }
        return total;
    }

    public List<String> lowStock(int threshold) {
        List<String> low = new ArrayList<>();
        for (String name : quantities.keySet()) {
            if (quantities.get(name) < threshold) {
                low.add(name);
            }
        }
        low.sort(null);
        return low;
    }

    public String report() {
        StringBuilder out = new StringBuilder();
        List<String> names = new ArrayList<>(quantities.keySet());
        names.sort(null);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            out.append(i + 1).append(". ").append(name).append(": ")
               .append(quantities.get(name)).append(" x ").append(prices.get(name)).append("\n");
        }
        out.append("operations: ").append(operations);
        return out.toString();
    }
}
