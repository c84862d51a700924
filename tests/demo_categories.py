"""The demo catalog's category paths, shared by tests that need a realistic vocabulary."""

DEMO_PRODUCT_TYPES = (
    "Shoes > Running Shoes", "Shoes > Trail Running Shoes", "Shoes > Sneakers", "Shoes > Hiking Boots",
    "Shoes > Boots", "Shoes > Sandals", "Shoes > Dress Shoes", "Clothing > Jackets > Rain Jackets",
    "Clothing > Jackets > Down Jackets", "Clothing > Jackets > Fleece Jackets", "Clothing > T-Shirts",
    "Clothing > Hoodies", "Clothing > Jeans", "Clothing > Dresses", "Clothing > Leggings", "Clothing > Shorts",
    "Clothing > Socks", "Accessories > Backpacks", "Accessories > Hats", "Accessories > Watches",
    "Accessories > Sunglasses", "Accessories > Belts",
)
