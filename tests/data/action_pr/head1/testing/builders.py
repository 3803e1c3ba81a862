from shop.orders import Order


def empty_order(number="1"):
    return Order(number)
