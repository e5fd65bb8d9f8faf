"""autograd's core: Value, the op table, the engine, seeds, define_op, gradcheck, testing."""
