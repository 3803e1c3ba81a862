package example.shapes;

import java.util.List;

// Written for docbot's tests (no real project to quote): Java 17 syntax that
// checkstyle 8.36 cannot parse, so javac's doclint is the oracle here.
public sealed interface Shapes permits Shapes.Circle, Shapes.Square, Shapes.Group {

    double area();

    /** The perimeter, in the shape's unit. */
    double perimeter();

    public record Circle(double radius) implements Shapes {
        public Circle {
            if (radius < 0) {
                throw new IllegalArgumentException("negative radius");
            }
        }

        @Override
        public double area() {
            return Math.PI * radius * radius;
        }

        @Override
        public double perimeter() {
            return 2 * Math.PI * radius;
        }

        public static Circle unit() {
            return new Circle(1);
        }
    }

    /** A square. */
    public record Square(double side) implements Shapes {
        @Override
        public double area() {
            return side * side;
        }

        @Override
        public double perimeter() {
            return 4 * side;
        }
    }

    public non-sealed class Group implements Shapes {
        private final List<Shapes> members;

        public Group(List<Shapes> members) {
            this.members = List.copyOf(members);
        }

        @Override
        public double area() {
            return members.stream().mapToDouble(Shapes::area).sum();
        }

        @Override
        public double perimeter() {
            return members.stream().mapToDouble(Shapes::perimeter).sum();
        }

        public <T extends Shapes> int count(Class<T> kind) {
            return (int) members.stream().filter(kind::isInstance).count();
        }
    }
}
