# frozen_string_literal: true

# The worked example from the README. Add your own specs next to it.
RSpec.describe Billing::Subscription do
  let(:team) { Billing::Plan.new(code: "team", seat_price_cents: 1_200) }
  let(:business) { Billing::Plan.new(code: "business", seat_price_cents: 2_500) }

  def summary(invoices)
    invoices.map do |invoice|
      [invoice.issued_on.iso8601, invoice.lines.map(&:amount_cents), invoice.amount_due_cents,
       invoice.balance_after_cents]
    end
  end

  it "bills the README's example" do
    subscription = described_class.new(plan: team, seats: 3, starts_on: Date.new(2024, 1, 31))
    subscription.change(on: Date.new(2024, 2, 10), plan: business)
    subscription.change(on: Date.new(2024, 3, 15), seats: 2)

    expect(summary(subscription.invoices_through(Date.new(2024, 4, 29)))).to eq([
      ["2024-01-31", [3_600], 3_600, 0],
      ["2024-02-10", [-2_359, 4_914], 2_555, 0],
      ["2024-02-29", [7_500], 7_500, 0],
      ["2024-03-15", [-3_871, 2_581], 0, 1_290],
      ["2024-03-31", [5_000], 3_710, 0]
    ])
  end
end
