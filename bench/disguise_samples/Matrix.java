/** Dense matrices of doubles: product, transpose, identity, power and a determinant. */
public class Matrix {
    private final double[][] cells;
    private final int rows;
    private final int cols;

    public Matrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.cells = new double[rows][cols];
    }

    public static Matrix identity(int size) {
        Matrix m = new Matrix(size, size);
        for (int i = 0; i < size; i++) {
            m.cells[i][i] = 1.0;
        }
        return m;
    }

    public Matrix multiply(Matrix other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException("shapes do not match");
        }
        Matrix result = new Matrix(rows, other.cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < other.cols; j++) {
                double sum = 0;
                for (int k = 0; k < cols; k++) {
                    sum += cells[i][k] * other.cells[k][j];
                }
                result.cells[i][j] = sum;
            }
        }
        return result;
    }

    public Matrix transpose() {
        Matrix result = new Matrix(cols, rows);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                result.cells[j][i] = cells[i][j];
            }
        }
        return result;
    }

    public Matrix power(int exponent) {
        Matrix result = identity(rows);
        Matrix base = this;
        while (exponent > 0) {
            if (exponent % 2 == 1) {
                result = result.multiply(base);
            }
            base = base.multiply(base);
            exponent /= 2;
        }
        return result;
    }

    public double determinant() {
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = cells[i].clone();
        }
        double det = 1;
        for (int c = 0; c < rows; c++) {
            int pivot = c;
            for (int r = c + 1; r < rows; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            if (a[pivot][c] == 0) {
                return 0;
            }
            if (pivot != c) {
                double[] tmp = a[pivot];
                a[pivot] = a[c];
                a[c] = tmp;
                det = -det;
            }
            det *= a[c][c];
            for (int r = c + 1; r < rows; r++) {
                double factor = a[r][c] / a[c][c];
                for (int k = c; k < rows; k++) {
                    a[r][k] -= factor * a[c][k];
                }
            }
        }
        return det;
    }
}
