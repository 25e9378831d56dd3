# frozen_string_literal: true

RSpec.describe Billing::Plan do
  it "is a value: same code and price, same plan" do
    expect(described_class.new(code: "team", seat_price_cents: 1_200))
      .to eq(described_class.new(code: "team", seat_price_cents: 1_200))
  end

  it "refuses a price that is not whole cents" do
    expect { described_class.new(code: "team", seat_price_cents: 12.0) }
      .to raise_error(ArgumentError)
  end
end
